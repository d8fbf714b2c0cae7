//! Streaming generators: functions and actor methods taking a `Yielder<T>` give an
//! `ObjectRefGenerator<T>` whose items are readable as soon as they are sent.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::{drive, runtime};
use futures::StreamExt;
use rustyray::{ObjectId, ObjectRefGenerator, Runtime, RustyRayError, Yielder};

#[derive(Debug, thiserror::Error)]
#[error("broke after {0}")]
pub struct Broke(u32);

#[rustyray::remote]
async fn count(n: u32, out: Yielder<u32>) -> rustyray::Result<()> {
    for i in 0..n {
        out.send(i)?;
    }
    Ok(())
}

static GATE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(0);

/// Sends one item, then waits for the test before the second.
#[rustyray::remote]
async fn gated(out: Yielder<String>) -> rustyray::Result<()> {
    out.send("first".to_owned())?;
    if let Ok(p) = GATE.acquire().await {
        p.forget();
    }
    out.send("second".to_owned())?;
    Ok(())
}

#[rustyray::remote]
fn failing(n: u32, out: Yielder<u32>) -> Result<(), Broke> {
    for i in 0..n {
        if out.send(i).is_err() {
            return Ok(());
        }
    }
    Err(Broke(n))
}

#[rustyray::remote]
async fn with_put(out: Yielder<u32>) -> rustyray::Result<()> {
    let p = rustyray::put(1u8)?;
    out.send(p.id().object_index())?;
    Ok(())
}

static ASYNC_SENT: AtomicU32 = AtomicU32::new(0);

#[rustyray::remote]
async fn endless(out: Yielder<u32>) -> rustyray::Result<()> {
    loop {
        out.send(ASYNC_SENT.fetch_add(1, Ordering::SeqCst))?;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

static SYNC_SENT: AtomicU32 = AtomicU32::new(0);

#[rustyray::remote]
fn endless_sync(out: Yielder<u32>) -> rustyray::Result<()> {
    loop {
        out.send(SYNC_SENT.fetch_add(1, Ordering::SeqCst))?;
        std::thread::sleep(Duration::from_millis(1));
    }
}

static DROPPED_SENT: AtomicU32 = AtomicU32::new(0);

#[rustyray::remote]
async fn endless_dropped(out: Yielder<Vec<u8>>) -> rustyray::Result<()> {
    loop {
        DROPPED_SENT.fetch_add(1, Ordering::SeqCst);
        out.send(vec![0; 64])?;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[rustyray::actor]
pub struct Source {
    prefix: String,
}

#[rustyray::actor_methods]
impl Source {
    pub fn new(prefix: String) -> Self {
        Source { prefix }
    }

    pub async fn words(&self, n: u32, out: Yielder<String>) -> rustyray::Result<()> {
        for i in 0..n {
            out.send(format!("{}{i}", self.prefix))?;
        }
        Ok(())
    }

    pub fn numbers(&mut self, n: u32, out: Yielder<u32>) -> Result<(), Broke> {
        for i in 0..n {
            out.send(i * 10).map_err(|_| Broke(i))?;
        }
        Err(Broke(n))
    }
}

async fn collect<T: Clone + Send + Sync + 'static>(
    mut gen: ObjectRefGenerator<T>,
) -> (Vec<T>, Option<RustyRayError>) {
    let mut values = Vec::new();
    while let Some(item) = gen.next().await {
        match item {
            Ok(r) => values.push(r.get().await.expect("item")),
            Err(e) => {
                assert!(gen.next().await.is_none(), "the error is the last item");
                return (values, Some(e));
            }
        }
    }
    (values, None)
}

/// Waits until `counter` stops moving, and returns where it stopped.
async fn settled(counter: &AtomicU32) -> u32 {
    let mut last = counter.load(Ordering::SeqCst);
    loop {
        tokio::time::sleep(Duration::from_millis(30)).await;
        let now = counter.load(Ordering::SeqCst);
        if now == last {
            return now;
        }
        last = now;
    }
}

async fn no_live_objects(rt: &Runtime) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    while rt.live_objects() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    rt.live_objects()
}

#[test]
fn items_stream_in_order_with_ray_ids() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let mut gen = count::remote(5).await?;
        let task = gen.task_id();
        let mut ids = Vec::new();
        let mut values = Vec::new();
        while let Some(r) = gen.next().await {
            let r = r?;
            ids.push(r.id());
            values.push(r.get().await?);
        }
        assert_eq!(values, vec![0, 1, 2, 3, 4]);
        let expected: Vec<ObjectId> = (1..=5)
            .map(|i| ObjectId::from_index(&task, i).expect("id"))
            .collect();
        assert_eq!(ids, expected, "items at indexes 1..");
        assert!(gen.is_finished());
        assert!(gen.next().await.is_none(), "stays ended");

        let (empty, err) = collect(count::remote(0).await?).await;
        assert!(empty.is_empty() && err.is_none());

        let (put_index, _) = collect(with_put::remote().await?).await;
        assert_eq!(put_index, vec![(1 << 31) + 1], "puts follow the item range");
        rustyray::Result::Ok(())
    })
    .expect("stream");
}

#[test]
fn the_first_item_is_readable_before_the_second_is_sent() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let mut gen = gated::remote().await?;
        let first = gen.next().await.expect("an item")?;
        assert_eq!(first.get().await?, "first");
        assert!(!gen.is_finished(), "the generator waits at its gate");
        GATE.add_permits(1);
        let second = gen.next().await.expect("an item")?;
        assert_eq!(second.get().await?, "second");
        assert!(gen.next().await.is_none());
        rustyray::Result::Ok(())
    })
    .expect("incremental");
}

#[test]
fn a_failure_follows_the_items_sent_before_it() {
    let rt = runtime(2.0);
    let gen = rt
        .block_on(async { failing::remote(3).await })
        .expect("submitted");
    // The blocking form, from a thread outside the runtime.
    let items: Vec<_> = gen.blocking_iter().collect();
    assert_eq!(items.len(), 4, "3 items and the error");
    let values: Vec<u32> = items[..3]
        .iter()
        .map(|r| r.as_ref().expect("item").get_blocking().expect("value"))
        .collect();
    assert_eq!(values, vec![0, 1, 2]);
    match &items[3] {
        Err(e @ RustyRayError::TaskFailed { .. }) => {
            assert_eq!(e.downcast_ref::<Broke>().map(|b| b.0), Some(3));
        }
        other => panic!("expected TaskFailed, got {other:?}"),
    }
    rt.shutdown();
}

#[test]
fn cancel_stops_a_running_generator_at_its_next_send() {
    let rt = runtime(2.0);
    drive(&rt, async {
        for sync in [false, true] {
            let counter = if sync { &SYNC_SENT } else { &ASYNC_SENT };
            let mut gen = if sync {
                endless_sync::remote().await?
            } else {
                endless::remote().await?
            };
            for _ in 0..3 {
                gen.next().await.expect("item")?.get().await?;
            }
            assert!(gen.cancel(), "still running");
            let mut last = None;
            while let Some(item) = gen.next().await {
                last = Some(item);
            }
            assert!(
                matches!(last, Some(Err(RustyRayError::Cancelled { .. }))),
                "{last:?}"
            );
            let stopped = settled(counter).await;
            tokio::time::sleep(Duration::from_millis(50)).await;
            assert_eq!(counter.load(Ordering::SeqCst), stopped, "sync: {sync}");
        }
        rustyray::Result::Ok(())
    })
    .expect("cancel");
}

#[test]
fn dropping_the_generator_stops_it_and_frees_its_items() {
    let rt = runtime(2.0);
    let inside = rt.clone();
    drive(&rt, async move {
        let mut gen = endless_dropped::remote().await?;
        let first = gen.next().await.expect("item")?;
        let _second = gen.next().await.expect("item")?;
        assert_eq!(first.get().await?.len(), 64);
        drop(gen);
        drop(first);
        drop(_second);
        let stopped = settled(&DROPPED_SENT).await;
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(DROPPED_SENT.load(Ordering::SeqCst), stopped, "stopped");
        assert_eq!(no_live_objects(&inside).await, 0);
        rustyray::Result::Ok(())
    })
    .expect("drop");
}

#[test]
fn actor_methods_can_stream() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let s = Source::remote("w".to_owned()).await?;
        let (words, err) = collect(s.words(3).await?).await;
        assert_eq!(words, vec!["w0", "w1", "w2"]);
        assert!(err.is_none());
        let (numbers, err) = collect(s.numbers(2).await?).await;
        assert_eq!(numbers, vec![0, 10]);
        let err = err.expect("the method failed after its items");
        assert_eq!(err.downcast_ref::<Broke>().map(|b| b.0), Some(2));
        let spec = rustyray::registry::actor("Source").expect("registered");
        assert!(spec.methods.iter().all(|m| m.num_returns == 0), "streaming");
        rustyray::Result::Ok(())
    })
    .expect("actor");
}
