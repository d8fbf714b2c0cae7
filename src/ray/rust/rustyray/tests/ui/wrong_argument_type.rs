#[rustyray::remote]
async fn add(x: i32, y: i32) -> i32 {
    x + y
}

fn main() {
    let _ = add::remote("one", 2);
}
