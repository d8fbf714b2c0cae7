#[rustyray::actor]
pub struct Counter {
    value: i32,
}

impl Default for Counter {
    fn default() -> Self {
        Counter { value: 0 }
    }
}

#[rustyray::actor_methods]
impl Clone for Counter {
    fn clone(&self) -> Self {
        Counter { value: self.value }
    }
}

fn main() {}
