struct Calculator;

impl Calculator {
    #[rustyray::remote]
    fn add(&self, x: i32) -> i32 {
        x + 1
    }
}

fn main() {}
