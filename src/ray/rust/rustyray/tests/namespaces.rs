//! Namespaces: actor names are registered per namespace; the runtime's namespace is the
//! default for registration and lookup.

mod common;

use common::LIMIT;
use rustyray::{Runtime, RustyRayError};

#[rustyray::actor]
pub struct Cell {
    value: i32,
}

#[rustyray::actor_methods]
impl Cell {
    pub fn new(value: i32) -> Self {
        Cell { value }
    }

    pub fn get(&self) -> i32 {
        self.value
    }

    pub fn set(&mut self, value: i32) -> i32 {
        self.value = value;
        value
    }
}

#[rustyray::remote]
async fn namespace_inside() -> Option<String> {
    rustyray::get_runtime_context()
        .get_namespace()
        .map(str::to_owned)
}

#[rustyray::remote]
async fn read_named(name: String) -> rustyray::Result<i32> {
    let cell: CellHandle = rustyray::get_actor(&name)?;
    cell.get().await?.get().await
}

fn in_namespace(ns: &str) -> Runtime {
    Runtime::builder()
        .num_cpus(2.0)
        .worker_threads(2)
        .namespace(ns)
        .build()
        .expect("runtime")
}

fn not_found<T>(r: rustyray::Result<T>) -> bool {
    matches!(r, Err(RustyRayError::ActorNotFound(_)))
}

#[test]
fn the_same_name_in_two_namespaces_is_two_actors() {
    let rt = in_namespace("alpha");
    let out = rt.block_on(async {
        tokio::time::timeout(LIMIT, async {
            assert_eq!(rustyray::runtime()?.namespace(), "alpha");
            let a = Cell::options().name("c").remote(1).await?;
            assert_eq!(a.namespace(), Some("alpha"), "the runtime's by default");
            let b = Cell::options()
                .name("c")
                .namespace("beta")
                .remote(2)
                .await?;
            assert_eq!(b.namespace(), Some("beta"));
            assert_ne!(a.id(), b.id());
            assert!(
                Cell::options().name("c").remote(3).await.is_err(),
                "taken in alpha"
            );

            let here: CellHandle = rustyray::get_actor("c")?;
            assert_eq!(
                here.id(),
                a.id(),
                "get_actor looks in the current namespace"
            );
            let there: CellHandle = rustyray::get_actor_in("c", "beta")?;
            assert_eq!(there.id(), b.id());
            let explicit: CellHandle = rustyray::get_actor_in("c", "alpha")?;
            assert_eq!(explicit.id(), a.id());
            assert!(not_found(rustyray::get_actor_in::<CellHandle>(
                "c", "gamma"
            )));

            there.set(20).await?.get().await?;
            assert_eq!(here.get().await?.get().await?, 1, "separate state");
            assert_eq!(there.get().await?.get().await?, 20);

            let again = Cell::options()
                .name("c")
                .namespace("beta")
                .get_if_exists(true)
                .remote(9)
                .await?;
            assert_eq!(again.id(), b.id(), "get_if_exists in that namespace");

            assert_eq!(
                read_named::remote("c".to_owned()).await?.get().await?,
                1,
                "tasks look in the job's namespace"
            );
            assert_eq!(
                namespace_inside::remote().await?.get().await?,
                Some("alpha".to_owned())
            );

            b.kill()?;
            assert!(not_found(rustyray::get_actor_in::<CellHandle>("c", "beta")));
            let still: CellHandle = rustyray::get_actor("c")?;
            assert_eq!(still.id(), a.id(), "killing beta's c leaves alpha's");
            rustyray::Result::Ok(())
        })
        .await
        .expect("timed out")
    });
    rt.shutdown();
    out.expect("namespaces");
}

#[test]
fn runtimes_without_a_namespace_get_anonymous_ones() {
    let one = Runtime::builder().num_cpus(1.0).build().expect("one");
    let two = Runtime::builder().num_cpus(1.0).build().expect("two");
    assert!(
        one.namespace().starts_with("anonymous"),
        "{}",
        one.namespace()
    );
    assert_ne!(one.namespace(), two.namespace());
    let seen = one.block_on(async {
        rustyray::get_runtime_context()
            .get_namespace()
            .map(str::to_owned)
    });
    assert_eq!(seen.as_deref(), Some(one.namespace()));
    one.shutdown();
    two.shutdown();
}

#[rustyray::main(num_cpus = 1, namespace = "from-main")]
async fn main_with_namespace() -> rustyray::Result<String> {
    Ok(rustyray::runtime()?.namespace().to_owned())
}

#[test]
fn main_takes_a_namespace() {
    // The only test of this binary that uses the global runtime.
    assert_eq!(main_with_namespace().expect("main"), "from-main");
}
