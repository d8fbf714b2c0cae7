//! `num_returns = n`: one call, `n` objects, each its own reference.

mod common;

use std::time::Duration;

use common::{drive, runtime};
use rustyray::{ObjectId, ObjectRef, RustyRayError};

#[derive(Debug, thiserror::Error)]
#[error("split refused {0}")]
pub struct Refused(i32);

#[rustyray::remote(num_returns = 2)]
async fn split(x: i32) -> (i32, String) {
    (x * 2, format!("#{x}"))
}

#[rustyray::remote(num_returns = 3)]
fn three(x: i32) -> Result<(i32, u8, Vec<i32>), Refused> {
    if x < 0 {
        return Err(Refused(x));
    }
    Ok((x, 7, vec![x; 2]))
}

/// The second element is an object `put` inside the task, to check its index.
#[rustyray::remote(num_returns = 2)]
async fn with_put() -> rustyray::Result<(u32, ObjectRef<u32>)> {
    let p = rustyray::put(5u32)?;
    Ok((1, p))
}

#[rustyray::remote(num_returns = 2)]
async fn slow_pair(ms: u64) -> (u64, u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    (ms, ms + 1)
}

#[rustyray::remote]
async fn add(x: i32, y: i32) -> i32 {
    x + y
}

#[rustyray::actor]
#[derive(Default)]
pub struct Pairs {
    calls: i32,
}

#[rustyray::actor_methods]
impl Pairs {
    pub fn new() -> Self {
        Pairs::default()
    }

    #[rustyray::method(num_returns = 2)]
    pub fn next_pair(&mut self) -> (i32, i32) {
        self.calls += 1;
        (self.calls, -self.calls)
    }

    #[rustyray::method(num_returns = 2)]
    pub async fn checked_pair(&self, x: i32) -> Result<(i32, String), Refused> {
        if x < 0 {
            Err(Refused(x))
        } else {
            Ok((x, x.to_string()))
        }
    }
}

#[test]
fn a_tuple_becomes_one_ref_per_element() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let (a, b) = split::remote(21).await?;
        assert_eq!(b.get().await?, "#21", "the second ref resolves on its own");
        assert_eq!(a.get().await?, 42);
        assert_eq!(a.task_id(), b.task_id(), "one task");
        assert_eq!(a.id(), ObjectId::from_index(&a.task_id(), 1).expect("id"));
        assert_eq!(b.id(), ObjectId::from_index(&a.task_id(), 2).expect("id"));

        let (x, y, z) = three::remote(4).await?;
        assert_eq!((x.get().await?, y.get().await?), (4, 7));
        assert_eq!(z.get().await?, vec![4, 4]);

        // Each ref is an argument of its own.
        let (p, q) = split::remote(1).await?;
        let sum = add::remote(p, 100).await?;
        assert_eq!(sum.get().await?, 102);
        assert_eq!(q.get().await?, "#1");
        rustyray::Result::Ok(())
    })
    .expect("num_returns");
}

#[test]
fn puts_inside_the_task_follow_its_returns() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let (one, inner) = with_put::remote().await?;
        assert_eq!(one.get().await?, 1);
        let put = inner.get().await?;
        assert_eq!(put.get().await?, 5);
        assert_eq!(put.id().object_index(), 3, "after the two returns");
        assert_eq!(put.task_id(), one.task_id());
        rustyray::Result::Ok(())
    })
    .expect("put index");
}

#[test]
fn an_error_fails_every_ref_with_the_same_error() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let (x, y, z) = three::remote(-3).await?;
        let errors = [
            x.get().await.expect_err("x"),
            y.get().await.map(|_| ()).expect_err("y"),
            z.get().await.map(|_| ()).expect_err("z"),
        ];
        for e in &errors {
            assert!(matches!(e, RustyRayError::TaskFailed { .. }), "{e}");
            assert_eq!(e.downcast_ref::<Refused>().map(|r| r.0), Some(-3));
            assert_eq!(e.task_id(), Some(x.task_id()));
        }
        rustyray::Result::Ok(())
    })
    .expect("errors");
}

#[test]
fn cancelling_through_one_ref_fails_both() {
    let rt = runtime(1.0);
    drive(&rt, async {
        let (a, b) = slow_pair::remote(60_000).await?;
        assert!(b.cancel());
        assert!(matches!(
            a.get().await,
            Err(RustyRayError::Cancelled { .. })
        ));
        assert!(matches!(
            b.get().await,
            Err(RustyRayError::Cancelled { .. })
        ));
        let (c, d) = slow_pair::remote(1).await?;
        assert_eq!(
            (c.get().await?, d.get().await?),
            (1, 2),
            "the CPU came back"
        );
        rustyray::Result::Ok(())
    })
    .expect("cancel");
}

#[test]
fn objects_of_every_return_are_freed() {
    let rt = runtime(2.0);
    let inside = rt.clone();
    drive(&rt, async move {
        let (a, b) = split::remote(2).await?;
        assert_eq!(a.get().await?, 4);
        drop(a);
        assert_eq!(b.get().await?, "#2", "dropping one ref keeps the other");
        drop(b);
        let (x, y, z) = three::remote(-1).await?;
        assert!(x.get().await.is_err());
        drop((x, y, z));
        // The task lets go of its side of the objects just after completing them.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while inside.live_objects() > 0 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(inside.live_objects(), 0);
        rustyray::Result::Ok(())
    })
    .expect("freed");
}

#[test]
fn actor_methods_with_num_returns() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let actor = Pairs::remote().await?;
        let (a, b) = actor.next_pair().await?;
        let (c, d) = actor.next_pair().await?;
        assert_eq!((a.get().await?, b.get().await?), (1, -1));
        assert_eq!((d.get().await?, c.get().await?), (-2, 2));
        assert_eq!(c.id().object_index(), 1);
        assert_eq!(d.id().object_index(), 2);

        let (n, s) = actor.checked_pair(9).await?;
        assert_eq!((n.get().await?, s.get().await?), (9, "9".to_owned()));
        let (n, s) = actor.checked_pair(-9).await?;
        let (en, es) = (n.get().await.expect_err("n"), s.get().await.expect_err("s"));
        assert_eq!(en.downcast_ref::<Refused>().map(|r| r.0), Some(-9));
        assert_eq!(es.downcast_ref::<Refused>().map(|r| r.0), Some(-9));

        let spec = rustyray::registry::actor("Pairs").expect("registered");
        let counts: Vec<u32> = spec.methods.iter().map(|m| m.num_returns).collect();
        assert_eq!(counts, vec![2, 2]);
        let f = rustyray::registry::remote_function("three").expect("registered");
        assert_eq!(f.num_returns, 3);
        rustyray::Result::Ok(())
    })
    .expect("actor");
}
