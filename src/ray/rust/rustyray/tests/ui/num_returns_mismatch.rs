#[rustyray::remote(num_returns = 3)]
async fn pair() -> (i32, i32) {
    (1, 2)
}

#[rustyray::remote(num_returns = 2)]
fn not_a_tuple() -> Result<i32, std::io::Error> {
    Ok(1)
}

#[rustyray::actor]
pub struct A;

#[rustyray::actor_methods]
impl A {
    pub fn new() -> Self {
        A
    }

    #[rustyray::method(num_returns = 2)]
    pub fn one(&self) -> (i32,) {
        (1,)
    }
}

fn main() {}
