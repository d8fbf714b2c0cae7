use rustyray::Yielder;

#[rustyray::remote]
async fn yielder_first(out: Yielder<u32>, n: u32) {
    let _ = (out, n);
}

#[rustyray::remote]
fn returns_a_value(out: Yielder<u32>) -> u32 {
    let _ = out;
    1
}

#[rustyray::remote(num_returns = 2)]
fn streaming_with_num_returns(out: Yielder<u32>) {
    let _ = out;
}

fn main() {}
