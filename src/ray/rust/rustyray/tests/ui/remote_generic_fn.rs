#[rustyray::remote]
async fn identity<T: Send + 'static>(x: T) -> T {
    x
}

fn main() {}
