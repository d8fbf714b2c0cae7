//! The backend layer without Ray: a fake backend that runs the functions in this process
//! through the same worker-side entry points a cluster worker uses
//! (`find_cluster_function` on MessagePack arguments), so submission by name, encoding,
//! chaining by reference, errors and refused shapes are checked here.

use std::any::Any;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustyray::backend::{
    cluster_actor_name, cluster_name, find_cluster_actor, find_cluster_function, Backend,
    BackendError, BackendErrorKind, EncodedArg, RemoteActor, RemoteActorOptions, RemoteObject,
    WorkerActor,
};
use rustyray::RustyRayError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Point {
    x: i64,
    y: i64,
}

#[rustyray::remote]
fn shift(p: Point, by: i64) -> Point {
    Point {
        x: p.x + by,
        y: p.y + by,
    }
}

#[rustyray::remote]
fn norm1(p: Point) -> Result<i64, String> {
    if p.x < 0 {
        Err(format!("norm1: negative x {}", p.x))
    } else {
        Ok(p.x + p.y.abs())
    }
}

#[rustyray::remote]
fn answer() -> u32 {
    42
}

/// Awaits a timer: the worker's runtime drives it.
#[rustyray::remote]
async fn later(x: i64) -> i64 {
    tokio::time::sleep(Duration::from_millis(5)).await;
    x
}

/// A resource request, as the cluster gets it.
#[rustyray::remote(num_cpus = 2.0, num_gpus = 1.0, resources(node2 = 1.0))]
fn demanding() -> u32 {
    1
}

/// Not a serde type.
#[derive(Clone)]
struct Opaque(#[allow(dead_code)] i64);

#[rustyray::remote]
fn opaque(x: i64) -> Opaque {
    Opaque(x)
}

/// A `#[rustyray::actor]` run through the worker entry points.
#[rustyray::actor]
struct Ledger {
    entries: Vec<i64>,
}

#[rustyray::actor_methods]
impl Ledger {
    pub fn new(first: i64) -> Self {
        Ledger {
            entries: vec![first],
        }
    }

    pub fn record(&mut self, x: i64) -> usize {
        self.entries.push(x);
        self.entries.len()
    }

    pub async fn total(&self) -> i64 {
        tokio::time::sleep(Duration::from_millis(2)).await;
        self.entries.iter().sum()
    }

    pub fn withdraw(&mut self, x: i64) -> Result<i64, String> {
        let total: i64 = self.entries.iter().sum();
        if x > total {
            return Err(format!("withdraw: {x} is more than {total}"));
        }
        self.entries.push(-x);
        Ok(total - x)
    }

    pub fn opaque(&self) -> Opaque {
        Opaque(0)
    }
}

struct FakeActor(usize);

impl RemoteActor for FakeActor {
    fn id(&self) -> &[u8] {
        &[]
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

struct FakeObject(Vec<u8>);

impl RemoteObject for FakeObject {
    fn id(&self) -> &[u8] {
        &self.0
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// An object's bytes or its task's error.
type Stored = Result<Vec<u8>, String>;

/// Runs every submission at once and keeps the results by id.
#[derive(Default)]
struct FakeBackend {
    objects: Mutex<HashMap<Vec<u8>, Stored>>,
    next: AtomicUsize,
    submitted: Mutex<Vec<String>>,
    resources: Mutex<Vec<Vec<(String, f64)>>>,
    /// Live actors (their worker-side type and state), by index; `None` once killed.
    actors: Mutex<Vec<Option<LiveActor>>>,
    actor_options: Mutex<Vec<RemoteActorOptions>>,
    /// Calls of `put`.
    puts: AtomicUsize,
}

/// An actor's worker-side type and state.
type LiveActor = (WorkerActor, Box<dyn Any + Send>);

/// Runs a worker entry point on a thread of its own, as in a worker process: no runtime of
/// the driver there. A panic is the call's error.
fn in_a_worker<R: Send>(f: impl FnOnce() -> Result<R, String> + Send) -> Result<R, String> {
    std::thread::scope(|s| s.spawn(f).join()).unwrap_or_else(|_| Err("it panicked".to_owned()))
}

/// A runtime on a fresh fake backend.
fn fake_runtime() -> (Arc<FakeBackend>, rustyray::Runtime) {
    let fake = Arc::new(FakeBackend::default());
    let rt = rustyray::Runtime::builder()
        .backend(fake.clone())
        .build()
        .unwrap();
    (fake, rt)
}

/// The argument array, as a cluster worker receives it.
fn argument_array(fake: &FakeBackend, args: Vec<EncodedArg>) -> Result<Vec<u8>, BackendError> {
    let mut array = rmp_serde::to_vec(&Vec::<u8>::new()).unwrap();
    array[0] = 0x90 | args.len() as u8;
    for arg in args {
        match arg {
            EncodedArg::Value(bytes) => array.extend_from_slice(&bytes),
            EncodedArg::Object(o) => array.extend_from_slice(&fake.bytes(&*o)?),
            EncodedArg::Local(_) => {
                return Err(BackendError::new(
                    BackendErrorKind::Other,
                    "an in-process object reached the backend unstored",
                ))
            }
        }
    }
    Ok(array)
}

impl FakeBackend {
    fn store(&self, value: Stored) -> Arc<dyn RemoteObject> {
        let id = self
            .next
            .fetch_add(1, Ordering::SeqCst)
            .to_le_bytes()
            .to_vec();
        self.objects.lock().unwrap().insert(id.clone(), value);
        Arc::new(FakeObject(id))
    }

    fn bytes(&self, object: &dyn RemoteObject) -> Result<Vec<u8>, BackendError> {
        match self.objects.lock().unwrap().get(object.id()) {
            Some(Ok(bytes)) => Ok(bytes.clone()),
            Some(Err(e)) => Err(BackendError::new(BackendErrorKind::TaskFailed, e.clone())),
            None => Err(BackendError::new(BackendErrorKind::Other, "no such object")),
        }
    }
}

impl Backend for FakeBackend {
    fn name(&self) -> &'static str {
        "fake"
    }

    fn submit(
        &self,
        function: &str,
        args: Vec<EncodedArg>,
        resources: &[(String, f64)],
    ) -> Result<Arc<dyn RemoteObject>, BackendError> {
        self.submitted.lock().unwrap().push(function.to_owned());
        self.resources.lock().unwrap().push(resources.to_vec());
        let call = find_cluster_function(function)
            .ok_or_else(|| BackendError::new(BackendErrorKind::Other, "unknown function"))?
            .map_err(|e| BackendError::new(BackendErrorKind::Other, e))?;
        // The argument array, as a cluster worker receives it.
        let array = argument_array(self, args)?;
        Ok(self.store(in_a_worker(|| call(&array))))
    }

    fn put(&self, bytes: &[u8]) -> Result<Arc<dyn RemoteObject>, BackendError> {
        self.puts.fetch_add(1, Ordering::Relaxed);
        Ok(self.store(Ok(bytes.to_vec())))
    }

    fn get(
        &self,
        object: &dyn RemoteObject,
        _timeout: Option<Duration>,
    ) -> Result<Vec<u8>, BackendError> {
        self.bytes(object)
    }

    fn wait(
        &self,
        objects: &[&dyn RemoteObject],
        _num_ready: usize,
        _timeout: Option<Duration>,
    ) -> Result<Vec<bool>, BackendError> {
        Ok(vec![true; objects.len()])
    }

    fn create_actor(
        &self,
        class: &str,
        args: Vec<EncodedArg>,
        options: &RemoteActorOptions,
    ) -> Result<Arc<dyn RemoteActor>, BackendError> {
        let other = |e: String| BackendError::new(BackendErrorKind::Other, e);
        self.actor_options.lock().unwrap().push(options.clone());
        let actor = find_cluster_actor(class)
            .ok_or_else(|| other(format!("unknown actor {class}")))?
            .map_err(other)?;
        let array = argument_array(self, args)?;
        let state = in_a_worker(|| (actor.new)(&array)).map_err(other)?;
        let mut actors = self.actors.lock().unwrap();
        actors.push(Some((actor, state)));
        Ok(Arc::new(FakeActor(actors.len() - 1)))
    }

    fn get_actor(
        &self,
        name: &str,
        namespace: Option<&str>,
    ) -> Result<Option<Arc<dyn RemoteActor>>, BackendError> {
        let options = self.actor_options.lock().unwrap();
        let actors = self.actors.lock().unwrap();
        Ok(options
            .iter()
            .enumerate()
            .find(|(i, o)| {
                o.name.as_deref() == Some(name)
                    && o.namespace.as_deref() == namespace
                    && actors[*i].is_some()
            })
            .map(|(i, _)| Arc::new(FakeActor(i)) as Arc<dyn RemoteActor>))
    }

    fn call_actor(
        &self,
        actor: &dyn RemoteActor,
        method: &str,
        args: Vec<EncodedArg>,
    ) -> Result<Arc<dyn RemoteObject>, BackendError> {
        let index = actor.as_any().downcast_ref::<FakeActor>().unwrap().0;
        let array = argument_array(self, args)?;
        let result = {
            let mut actors = self.actors.lock().unwrap();
            match &mut actors[index] {
                None => Err("the actor is dead".to_owned()),
                Some((actor, state)) => {
                    let found =
                        actor
                            .methods
                            .iter()
                            .find(|m| m.name == method)
                            .ok_or_else(|| {
                                BackendError::new(BackendErrorKind::Other, "unknown method")
                            })?;
                    match (&found.shared, &found.call) {
                        (Some(shared), _) => {
                            // Moved by `&mut` (the state is `Send`, not `Sync`).
                            let state = &mut *state;
                            in_a_worker(move || shared(&**state, &array))
                        }
                        (None, Ok(call)) => in_a_worker(|| call(&mut **state, &array)),
                        (None, Err(why)) => Err(why.clone()),
                    }
                }
            }
        };
        Ok(self.store(result))
    }

    fn kill_actor(&self, actor: &dyn RemoteActor, _no_restart: bool) -> Result<(), BackendError> {
        let index = actor.as_any().downcast_ref::<FakeActor>().unwrap().0;
        self.actors.lock().unwrap()[index] = None;
        Ok(())
    }
}

#[test]
fn calls_go_to_the_backend_by_name_and_chain_by_reference() {
    let (fake, rt) = fake_runtime();
    assert_eq!(rt.backend_name(), Some("fake"));
    let (moved, norm, the_answer) = rt
        .block_on(async {
            let p = shift::remote(Point { x: 1, y: -5 }, 10).await?;
            let q = shift::remote(&p, 1).await?;
            let norm = norm1::remote(q.clone()).await?.await?;
            Ok::<_, RustyRayError>((q.await?, norm, answer::remote().await?.await?))
        })
        .unwrap();
    // An async function runs to its end in the worker, the same way.
    let later_value = rt
        .block_on(async { later::remote(9).await?.await })
        .unwrap();
    assert_eq!(later_value, 9);
    assert_eq!(moved, Point { x: 12, y: 6 });
    assert_eq!(norm, 18);
    assert_eq!(the_answer, 42);
    let submitted = fake.submitted.lock().unwrap().clone();
    assert_eq!(submitted, ["shift", "shift", "norm1", "answer", "later"]);
    rt.shutdown();
}

#[test]
fn an_in_process_object_is_stored_in_the_backend_once_however_many_calls_take_it() {
    let (fake, rt) = fake_runtime();
    let stored_before = rustyray::backend::values_stored();
    let (shifted, norm, ledger_total) = rt
        .block_on(async {
            let p = rustyray::put(Point { x: 3, y: -4 })?;
            let shifted = shift::remote(&p, 1).await?;
            let norm = norm1::remote(&p).await?;
            // Actor constructors and methods take them the same way.
            let seven = rustyray::put(7_i64)?;
            let ledger = Ledger::remote(&seven).await?;
            ledger.record(&seven).await?.await?;
            let total = ledger.total().await?;
            let shifted_again = shift::remote(&p, 1).await?;
            assert_eq!(shifted_again.await?, Point { x: 4, y: -3 });
            Ok::<_, RustyRayError>((shifted.await?, norm.await?, total.await?))
        })
        .unwrap();
    assert_eq!(shifted, Point { x: 4, y: -3 });
    assert_eq!(norm, 7);
    assert_eq!(ledger_total, 14);
    // Three calls took `p` and two `seven`: one put each.
    assert_eq!(fake.puts.load(Ordering::Relaxed), 2);
    assert!(rustyray::backend::values_stored() > stored_before);
    rt.shutdown();
}

#[test]
fn errors_and_unsupported_shapes_fail_without_hanging() {
    let (_, rt) = fake_runtime();
    rt.block_on(async {
        match norm1::remote(Point { x: -1, y: 0 }).await.unwrap().await {
            Err(RustyRayError::TaskFailed { cause, .. }) => {
                assert!(cause.to_string().contains("negative x -1"), "{cause}")
            }
            other => panic!("{other:?}"),
        }
        match opaque::remote(1).await {
            Err(RustyRayError::Unsupported(why)) => assert!(why.contains("Opaque"), "{why}"),
            other => panic!("{:?}", other.map(|_| ())),
        }
    });
    rt.shutdown();
}

#[test]
fn resource_requests_reach_the_backend_in_rays_names() {
    let (fake, rt) = fake_runtime();
    rt.block_on(async {
        demanding::remote().await?.await?;
        demanding::options()
            .num_cpus(0.5)
            .num_gpus(0.0)
            .remote()
            .await?
            .await?;
        answer::remote().await?.await
    })
    .unwrap();
    let owned = |v: &[(&str, f64)]| -> Vec<(String, f64)> {
        v.iter().map(|(n, a)| ((*n).to_owned(), *a)).collect()
    };
    assert_eq!(
        *fake.resources.lock().unwrap(),
        vec![
            owned(&[("CPU", 2.0), ("GPU", 1.0), ("node2", 1.0)]),
            // Zero amounts are left out: Ray refuses them.
            owned(&[("CPU", 0.5), ("node2", 1.0)]),
            owned(&[("CPU", 1.0)]),
        ]
    );
    rt.shutdown();
}

#[test]
fn actors_run_on_the_backend_through_the_worker_entry_points() {
    let (fake, rt) = fake_runtime();
    rt.block_on(async {
        let ledger = Ledger::options().num_cpus(1.0).remote(10).await?;
        assert_eq!(ledger.record(5).await?.await?, 2);
        assert_eq!(ledger.record(7).await?.await?, 3);
        // An async method runs to its end in the worker.
        assert_eq!(ledger.total().await?.await?, 22);
        match ledger.withdraw(100).await?.await {
            Err(RustyRayError::TaskFailed { cause, .. }) => {
                assert!(
                    cause.to_string().contains("withdraw: 100 is more than 22"),
                    "{cause}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(ledger.withdraw(2).await?.await?, 20);
        // A named actor is found on the backend by its name.
        let named = Ledger::options().name("books").remote(1).await?;
        named.record(2).await?.await?;
        let found: LedgerHandle = rustyray::get_actor("books")?;
        assert_eq!(found.total().await?.await?, 3);
        assert!(matches!(
            rustyray::get_actor::<LedgerHandle>("no-such-books"),
            Err(RustyRayError::ActorNotFound(_))
        ));
        // Names live in namespaces; get_if_exists returns the live actor of the name.
        let other = Ledger::options()
            .name("books")
            .namespace("audit")
            .remote(10)
            .await?;
        let in_audit: LedgerHandle = rustyray::get_actor_in("books", "audit")?;
        assert_eq!(in_audit.total().await?.await?, 10);
        assert_eq!(found.total().await?.await?, 3, "the job's namespace's own");
        let again = Ledger::options()
            .name("books")
            .namespace("audit")
            .get_if_exists(true)
            .remote(99)
            .await?;
        assert_eq!(again.total().await?.await?, 10);
        other.kill()?;
        // A method whose result is not a serde type fails at the call.
        match ledger.opaque().await {
            Err(RustyRayError::Unsupported(why)) => assert!(why.contains("Opaque"), "{why}"),
            other => panic!("{:?}", other.map(|_| ())),
        }
        ledger.kill()?;
        assert!(!ledger.is_alive());
        match ledger.record(1).await?.await {
            Err(RustyRayError::TaskFailed { cause, .. }) => {
                assert!(cause.to_string().contains("dead"), "{cause}")
            }
            other => panic!("{other:?}"),
        }
        rustyray::Result::Ok(())
    })
    .unwrap();
    let options = fake.actor_options.lock().unwrap().clone();
    assert_eq!(
        options[0],
        RemoteActorOptions {
            name: None,
            namespace: None,
            max_restarts: 0,
            max_concurrency: 1,
            resources: vec![("CPU".to_owned(), 1.0)],
        }
    );
    assert_eq!(options[1].name.as_deref(), Some("books"));
    assert_eq!(options[2].namespace.as_deref(), Some("audit"));
    assert_eq!(options.len(), 3, "get_if_exists found the live one");
    assert!(find_cluster_actor(&cluster_actor_name(<Ledger as rustyray::Actor>::spec())).is_some());
    rt.shutdown();
}

#[test]
fn without_a_backend_the_same_calls_run_in_process() {
    let rt = rustyray::Runtime::builder().build().unwrap();
    assert_eq!(rt.backend_name(), None);
    let v = rt
        .block_on(async { later::remote(7).await?.await })
        .unwrap();
    assert_eq!(v, 7);
    let o = rt.block_on(async { opaque::remote(3).await?.await });
    assert!(o.is_ok());
}

#[test]
fn worker_entry_points_and_names() {
    assert_eq!(cluster_name(&shift::SPEC), "shift");
    let call = find_cluster_function("shift").unwrap().unwrap();
    let args = rmp_serde::to_vec_named(&(Point { x: 1, y: 2 }, 3_i64)).unwrap();
    let out: Point = rmp_serde::from_slice(&call(&args).unwrap()).unwrap();
    assert_eq!(out, Point { x: 4, y: 5 });
    let none = rmp_serde::to_vec(&Vec::<u8>::new()).unwrap();
    let out: u32 =
        rmp_serde::from_slice(&find_cluster_function("answer").unwrap().unwrap()(&none).unwrap())
            .unwrap();
    assert_eq!(out, 42);
    // An async function runs on the calling thread's own runtime, as in a worker.
    let seven = rmp_serde::to_vec(&(7_i64,)).unwrap();
    let out: i64 =
        rmp_serde::from_slice(&find_cluster_function("later").unwrap().unwrap()(&seven).unwrap())
            .unwrap();
    assert_eq!(out, 7);
    assert!(find_cluster_function("opaque").unwrap().is_err());
    assert!(find_cluster_function("no_such_function").is_none());
}

#[test]
fn an_address_without_a_backend_in_the_program_is_an_error() {
    match rustyray::Runtime::builder().address("127.0.0.1:1").build() {
        Err(RustyRayError::Unsupported(why)) => assert!(why.contains("ray_backend!"), "{why}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
}

/// An actor whose calls may overlap on a cluster: `Sync`, so its `&self` methods share the
/// state; `&mut self` ones still take it alone.
#[rustyray::actor]
struct Gauge {
    level: AtomicI64,
}

#[rustyray::actor_methods]
impl Gauge {
    pub fn new(level: i64) -> Self {
        Gauge {
            level: AtomicI64::new(level),
        }
    }

    pub fn read(&self) -> i64 {
        self.level.load(Ordering::SeqCst)
    }

    pub fn reset(&mut self, level: i64) -> i64 {
        *self.level.get_mut() = level;
        level
    }
}

/// Not `Sync`: its calls can only run one at a time.
#[rustyray::actor]
struct Tally {
    n: Cell<i64>,
}

#[rustyray::actor_methods]
impl Tally {
    pub fn new() -> Self {
        Tally { n: Cell::new(0) }
    }

    pub fn get(&self) -> i64 {
        self.n.get()
    }
}

#[test]
fn concurrent_actors_share_state_only_through_ref_methods_of_sync_types() {
    let worker_side = |spec| {
        find_cluster_actor(&cluster_actor_name(spec))
            .unwrap()
            .unwrap()
    };
    let gauge = worker_side(<Gauge as rustyray::Actor>::spec());
    let shared = |name: &str| {
        let m = gauge.methods.iter().find(|m| m.name == name).unwrap();
        m.shared.is_some()
    };
    assert!(shared("read"), "&self of a Sync type");
    assert!(!shared("reset"), "&mut self");
    let tally = worker_side(<Tally as rustyray::Actor>::spec());
    assert!(tally.methods.iter().all(|m| m.shared.is_none()), "not Sync");

    let (fake, rt) = fake_runtime();
    rt.block_on(async {
        let gauge = Gauge::options().max_concurrency(4).remote(5).await?;
        assert_eq!(gauge.read().await?.await?, 5);
        assert_eq!(gauge.reset(9).await?.await?, 9);
        assert_eq!(gauge.read().await?.await?, 9);
        match Tally::options().max_concurrency(2).remote().await {
            Err(RustyRayError::InvalidArgument(why)) => assert!(why.contains("Sync"), "{why}"),
            other => panic!("{:?}", other.map(|_| ())),
        }
        match Gauge::options().max_concurrency(0).remote(1).await {
            Err(RustyRayError::InvalidArgument(why)) => assert!(why.contains("at least 1")),
            other => panic!("{:?}", other.map(|_| ())),
        }
        let tally = Tally::remote().await?;
        assert_eq!(tally.get().await?.await?, 0);
        rustyray::Result::Ok(())
    })
    .unwrap();
    let options = fake.actor_options.lock().unwrap().clone();
    let concurrency: Vec<u32> = options.iter().map(|o| o.max_concurrency).collect();
    assert_eq!(
        concurrency,
        [4, 1],
        "the refused ones never reach the backend"
    );
    rt.shutdown();
}
