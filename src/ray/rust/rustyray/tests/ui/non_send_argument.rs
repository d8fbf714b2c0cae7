use std::rc::Rc;

#[rustyray::remote]
async fn length(items: Rc<Vec<i32>>) -> usize {
    items.len()
}

fn main() {}
