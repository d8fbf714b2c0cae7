//! The program of the RustyRay design: remote functions (async, sync, fallible), an
//! actor, `ObjectRef` arguments, an explicit runtime handle, and `rustyray::get`.

use std::fmt;

/// The error `may_fail` returns; it reaches the caller as the source of the task failure.
#[derive(Debug)]
pub struct MyError(String);

impl fmt::Display for MyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "my error: {}", self.0)
    }
}

impl std::error::Error for MyError {}

#[rustyray::remote]
async fn add(x: i32, y: i32) -> i32 {
    x + y
}

#[rustyray::remote(num_cpus = 2.0, max_retries = 1)]
fn heavy(data: Vec<f64>) -> f64 {
    data.iter().sum() // sync fns run off the async threads
}

#[rustyray::remote]
async fn may_fail(x: i32) -> Result<i32, MyError> {
    if x < 0 {
        Err(MyError(format!("{x} is negative")))
    } else {
        Ok(x * 2)
    }
}

#[rustyray::actor]
pub struct Counter {
    value: i32,
}

#[rustyray::actor_methods]
impl Counter {
    pub fn new(start: i32) -> Self {
        Counter { value: start }
    }
    pub async fn increment(&mut self) -> i32 {
        self.value += 1;
        self.value
    }
    pub fn get(&self) -> i32 {
        self.value
    }
}

#[rustyray::main]
async fn main() -> rustyray::Result<()> {
    let r = add::remote(1, 2).await?; // ObjectRef<i32>
    assert_eq!(r.get().await?, 3);
    let s = add::remote(r.clone(), 10).await?; // ObjectRef args resolve before execution
    let c = Counter::remote(5).await?; // typed handle, Clone + Send
    let v = c.increment().await?.get().await?; // 6
    assert_eq!(v, 6);
    let rt = rustyray::runtime()?; // explicit handle
    let t = add::remote_on(&rt, 4, 5).await?;
    let all = rustyray::get(&[s, t]).await?;
    assert_eq!(all, vec![13, 9]);

    let sum = heavy::remote(vec![1.0, 2.0, 3.5]).await?.await?;
    assert_eq!(sum, 6.5);
    assert_eq!(may_fail::remote(21).await?.await?, 42);
    let err = may_fail::remote(-1)
        .await?
        .get()
        .await
        .expect_err("a negative input fails");
    let cause = err.downcast_ref::<MyError>().expect("the cause is kept");
    assert_eq!(cause.0, "-1 is negative");
    assert_eq!(c.get().await?.await?, 6);

    println!("add: {all:?}, counter: {v}, heavy: {sum}, may_fail(-1): {err}");
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().expect("the quickstart example");
}
