//! RustyRay beside the in-process runtimes a Rust user would weigh it against: tokio (plain
//! tasks, and an mpsc + oneshot actor), actix and ractor, on the shapes of
//! `ray microbenchmark`, all measured in one run.
//!
//! ```text
//! cargo bench -p rustyray-runtime --bench peers [-- --trials N --seconds S --only SHAPE --system NAME]
//! ```
//!
//! `--only` keeps the shapes whose name contains SHAPE, `--system` the one system of that
//! name (for profiling one side alone).
//!
//! Each system runs on its natural runtime:
//! * RustyRay on its own runtime (a multi-threaded tokio runtime, one worker per CPU); its
//!   operations are those of `rustyray-microbenchmark`.
//! * tokio and ractor each on a multi-threaded tokio runtime of their own (one worker per CPU).
//! * actix on its `System`: one single-threaded event loop that the caller shares with the
//!   actors. The n:n shape gives each actor an `Arbiter` (a thread of its own) and runs its
//!   client there too, the way actix spreads work over cores. The 1:1 shapes are measured a
//!   second time with the actor on an `Arbiter` of its own, so that the call crosses threads
//!   as it does on the other systems (whose caller is the main thread and whose actors run on
//!   worker threads).
//!
//! The trial scheme is the microbenchmark's: a warm-up of a fifth of `--seconds` per system,
//! then `--trials` trials of `--seconds`, the systems taking turns. Without `--bench` (which
//! `cargo bench` passes) the binary runs every shape once for 0.05 s, as a smoke test.

use std::fmt;
use std::future::Future;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Calls in flight in the batched shapes.
const BATCH: usize = 1000;
/// Length of the dependency chains.
const CHAIN: usize = 100;

/// Any failure of a measured operation, as text (the systems' error types differ).
#[derive(Debug)]
struct BenchError(String);

impl<E: std::error::Error> From<E> for BenchError {
    fn from(e: E) -> Self {
        BenchError(e.to_string())
    }
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

type Res<T> = Result<T, BenchError>;

fn fail<T>(what: impl Into<String>) -> Res<T> {
    Err(BenchError(what.into()))
}

// ---------------------------------------------------------------------------------------
// RustyRay: the microbenchmark's functions and actor, and the n:n client task.

#[rustyray::remote]
async fn small_value() -> u64 {
    1
}

#[rustyray::remote]
async fn chain_step(prev: u64) -> u64 {
    prev + 1
}

#[rustyray::actor]
#[derive(Default)]
pub struct Client {
    calls: u64,
}

#[rustyray::actor_methods]
impl Client {
    pub fn new() -> Self {
        Client { calls: 0 }
    }

    pub fn small_value(&mut self) -> u64 {
        self.calls += 1;
        self.calls
    }
}

/// One client of the n:n shape: a task calling its own actor with one batch (Ray's shape).
#[rustyray::remote]
async fn call_batch(actor: ClientHandle) -> rustyray::Result<u64> {
    let refs = (0..BATCH)
        .map(|_| actor.small_value().into_result())
        .collect::<rustyray::Result<Vec<_>>>()?;
    Ok(rustyray::get(&refs).await?.len() as u64)
}

// ---------------------------------------------------------------------------------------
// tokio: spawned tasks, and an actor made of a mailbox task answering through oneshots.

mod tokio_peer {
    use super::{fail, Res, BATCH, CHAIN};
    use tokio::sync::{mpsc, oneshot};

    pub type Mailbox = mpsc::UnboundedSender<oneshot::Sender<u64>>;

    /// Spawns the actor; needs a tokio runtime context.
    pub fn actor() -> Mailbox {
        let (tx, mut rx) = mpsc::unbounded_channel::<oneshot::Sender<u64>>();
        tokio::spawn(async move {
            let mut calls = 0u64;
            while let Some(reply) = rx.recv().await {
                calls += 1;
                let _ = reply.send(calls);
            }
        });
        tx
    }

    pub async fn call(mailbox: &Mailbox) -> Res<()> {
        let (tx, rx) = oneshot::channel();
        if mailbox.send(tx).is_err() {
            return fail("tokio actor stopped");
        }
        rx.await?;
        Ok(())
    }

    pub async fn call_batch(mailbox: &Mailbox) -> Res<()> {
        let mut replies = Vec::with_capacity(BATCH);
        for _ in 0..BATCH {
            let (tx, rx) = oneshot::channel();
            if mailbox.send(tx).is_err() {
                return fail("tokio actor stopped");
            }
            replies.push(rx);
        }
        for rx in replies {
            rx.await?;
        }
        Ok(())
    }

    /// One batch from each client, every client a task of its own.
    pub async fn n_to_n(mailboxes: &[Mailbox]) -> Res<()> {
        let clients: Vec<_> = mailboxes
            .iter()
            .map(|m| {
                let m = m.clone();
                tokio::spawn(async move { call_batch(&m).await })
            })
            .collect();
        for c in clients {
            c.await??;
        }
        Ok(())
    }

    pub async fn task() -> Res<()> {
        tokio::spawn(async { 1u64 }).await?;
        Ok(())
    }

    pub async fn task_batch() -> Res<()> {
        let handles: Vec<_> = (0..BATCH).map(|_| tokio::spawn(async { 1u64 })).collect();
        for h in handles {
            h.await?;
        }
        Ok(())
    }

    /// Each task awaits the previous one's `JoinHandle` (the microbenchmark's baseline).
    pub async fn chain() -> Res<()> {
        let mut h = tokio::spawn(async { 1u64 });
        for _ in 1..CHAIN {
            let prev = h;
            h = tokio::spawn(async move { prev.await.map_or(0, |v| v + 1) });
        }
        if h.await? != CHAIN as u64 {
            return fail("tokio chain lost a step");
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// actix: `Actor` + `Handler`, `addr.send(msg).await`.

mod actix_peer {
    use super::{fail, Res, BATCH, CHAIN};
    use actix::{Actor, Addr, Arbiter, Context, Handler, Message};
    use tokio::sync::oneshot;

    pub struct Counter {
        calls: u64,
    }

    impl Actor for Counter {
        type Context = Context<Self>;
    }

    pub struct SmallValue;

    impl Message for SmallValue {
        type Result = u64;
    }

    impl Handler<SmallValue> for Counter {
        type Result = u64;

        fn handle(&mut self, _: SmallValue, _: &mut Context<Self>) -> u64 {
            self.calls += 1;
            self.calls
        }
    }

    /// An unbounded mailbox, as tokio's and ractor's are: with actix's default of 16, all
    /// but 16 of a batch would wait in their `Request` futures instead of being in flight.
    fn unbounded(ctx: &mut Context<Counter>) -> Counter {
        ctx.set_mailbox_capacity(0);
        Counter { calls: 0 }
    }

    /// A counter on the current thread's arbiter; needs the `System` running.
    pub fn counter() -> Addr<Counter> {
        Counter::create(unbounded)
    }

    /// A counter on a new arbiter (thread) of its own; needs the `System` running.
    pub fn counter_on_arbiter() -> (Arbiter, Addr<Counter>) {
        let arbiter = Arbiter::new();
        let addr = Counter::start_in_arbiter(&arbiter.handle(), unbounded);
        (arbiter, addr)
    }

    pub fn stop(arbiter: Arbiter) {
        arbiter.stop();
        let _ = arbiter.join();
    }

    pub async fn call(addr: &Addr<Counter>) -> Res<()> {
        addr.send(SmallValue).await?;
        Ok(())
    }

    pub async fn call_batch(addr: &Addr<Counter>) -> Res<()> {
        // `send` enqueues at once; the requests only wait for their replies.
        let requests: Vec<_> = (0..BATCH).map(|_| addr.send(SmallValue)).collect();
        for r in requests {
            r.await?;
        }
        Ok(())
    }

    /// n arbiters (threads), each with one counter and the client that calls it.
    pub struct Pool {
        arbiters: Vec<Arbiter>,
        counters: Vec<Addr<Counter>>,
    }

    impl Pool {
        pub fn new(n: usize) -> Pool {
            let arbiters: Vec<Arbiter> = (0..n).map(|_| Arbiter::new()).collect();
            let counters = arbiters
                .iter()
                .map(|a| Counter::start_in_arbiter(&a.handle(), unbounded))
                .collect();
            Pool { arbiters, counters }
        }

        pub async fn n_to_n(&self) -> Res<()> {
            let mut done = Vec::with_capacity(self.arbiters.len());
            for (arbiter, addr) in self.arbiters.iter().zip(&self.counters) {
                let (tx, rx) = oneshot::channel();
                let addr = addr.clone();
                if !arbiter.spawn(async move {
                    let _ = tx.send(call_batch(&addr).await);
                }) {
                    return fail("actix arbiter stopped");
                }
                done.push(rx);
            }
            for rx in done {
                rx.await??;
            }
            Ok(())
        }

        pub fn stop(self) {
            self.arbiters.into_iter().for_each(stop);
        }
    }

    pub async fn task() -> Res<()> {
        actix::spawn(async { 1u64 }).await?;
        Ok(())
    }

    pub async fn task_batch() -> Res<()> {
        let handles: Vec<_> = (0..BATCH).map(|_| actix::spawn(async { 1u64 })).collect();
        for h in handles {
            h.await?;
        }
        Ok(())
    }

    /// A stage of the pipeline: adds one and passes the message on; the last one replies.
    pub struct Stage {
        next: Option<Addr<Stage>>,
    }

    impl Actor for Stage {
        type Context = Context<Self>;
    }

    pub struct Step {
        value: u64,
        reply: oneshot::Sender<u64>,
    }

    impl Message for Step {
        type Result = ();
    }

    impl Handler<Step> for Stage {
        type Result = ();

        fn handle(&mut self, step: Step, _: &mut Context<Self>) {
            let value = step.value + 1;
            match &self.next {
                Some(next) => next.do_send(Step {
                    value,
                    reply: step.reply,
                }),
                None => {
                    let _ = step.reply.send(value);
                }
            }
        }
    }

    /// The first stage of a pipeline of `CHAIN` stages, on the current arbiter.
    pub fn pipeline() -> Addr<Stage> {
        let mut head = Stage { next: None }.start();
        for _ in 1..CHAIN {
            head = Stage { next: Some(head) }.start();
        }
        head
    }

    pub async fn chain(head: &Addr<Stage>) -> Res<()> {
        let (tx, rx) = oneshot::channel();
        head.do_send(Step {
            value: 0,
            reply: tx,
        });
        if rx.await? != CHAIN as u64 {
            return fail("actix pipeline lost a step");
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// ractor: the `Actor` trait, `ActorRef::call`, and `cast` with a reply port for batches.

mod ractor_peer {
    use super::{fail, Res, BATCH, CHAIN};
    use ractor::concurrency::oneshot;
    use ractor::rpc::CallResult;
    use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};

    pub struct Counter;

    pub struct SmallValue(RpcReplyPort<u64>);

    impl Actor for Counter {
        type Msg = SmallValue;
        type State = u64;
        type Arguments = ();

        async fn pre_start(
            &self,
            _: ActorRef<SmallValue>,
            _: (),
        ) -> Result<u64, ActorProcessingErr> {
            Ok(0)
        }

        async fn handle(
            &self,
            _: ActorRef<SmallValue>,
            SmallValue(reply): SmallValue,
            calls: &mut u64,
        ) -> Result<(), ActorProcessingErr> {
            *calls += 1;
            let _ = reply.send(*calls);
            Ok(())
        }
    }

    pub async fn counter() -> Res<ActorRef<SmallValue>> {
        let (actor, _) = Actor::spawn(None, Counter, ()).await?;
        Ok(actor)
    }

    pub async fn call(actor: &ActorRef<SmallValue>) -> Res<()> {
        match actor.call(SmallValue, None).await? {
            CallResult::Success(_) => Ok(()),
            _ => fail("ractor call got no reply"),
        }
    }

    /// `call` sends only when polled; casting with a reply port puts the whole batch in flight.
    pub async fn call_batch(actor: &ActorRef<SmallValue>) -> Res<()> {
        let mut replies = Vec::with_capacity(BATCH);
        for _ in 0..BATCH {
            let (tx, rx) = oneshot();
            actor.cast(SmallValue(tx.into()))?;
            replies.push(rx);
        }
        for rx in replies {
            rx.await?;
        }
        Ok(())
    }

    /// One batch from each client, every client a tokio task of its own.
    pub async fn n_to_n(actors: &[ActorRef<SmallValue>]) -> Res<()> {
        let clients: Vec<_> = actors
            .iter()
            .map(|a| {
                let a = a.clone();
                tokio::spawn(async move { call_batch(&a).await })
            })
            .collect();
        for c in clients {
            c.await??;
        }
        Ok(())
    }

    /// A stage of the pipeline: adds one and casts on; the last one replies.
    pub struct Stage;

    pub struct Step(u64, RpcReplyPort<u64>);

    impl Actor for Stage {
        type Msg = Step;
        type State = Option<ActorRef<Step>>;
        type Arguments = Option<ActorRef<Step>>;

        async fn pre_start(
            &self,
            _: ActorRef<Step>,
            next: Option<ActorRef<Step>>,
        ) -> Result<Option<ActorRef<Step>>, ActorProcessingErr> {
            Ok(next)
        }

        async fn handle(
            &self,
            _: ActorRef<Step>,
            Step(value, reply): Step,
            next: &mut Option<ActorRef<Step>>,
        ) -> Result<(), ActorProcessingErr> {
            match next {
                Some(next) => next.cast(Step(value + 1, reply))?,
                None => {
                    let _ = reply.send(value + 1);
                }
            }
            Ok(())
        }
    }

    /// The first stage of a pipeline of `CHAIN` stages, and every stage (to stop them).
    pub async fn pipeline() -> Res<Vec<ActorRef<Step>>> {
        let mut stages: Vec<ActorRef<Step>> = Vec::with_capacity(CHAIN);
        for _ in 0..CHAIN {
            let (stage, _) = Actor::spawn(None, Stage, stages.last().cloned()).await?;
            stages.push(stage);
        }
        Ok(stages)
    }

    pub async fn chain(head: &ActorRef<Step>) -> Res<()> {
        let (tx, rx) = oneshot();
        head.cast(Step(0, tx.into()))?;
        if rx.await? != CHAIN as u64 {
            return fail("ractor pipeline lost a step");
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Measurement: the microbenchmark's trial scheme over one runner per system.

/// Runs a future to completion on a system's runtime, from the main thread.
trait Executor {
    fn drive<F: Future>(&self, future: F) -> F::Output;
}

impl Executor for rustyray::Runtime {
    fn drive<F: Future>(&self, future: F) -> F::Output {
        self.block_on(future)
    }
}

impl Executor for tokio::runtime::Runtime {
    fn drive<F: Future>(&self, future: F) -> F::Output {
        self.block_on(future)
    }
}

impl Executor for actix::SystemRunner {
    fn drive<F: Future>(&self, future: F) -> F::Output {
        self.block_on(future)
    }
}

/// Runs `op` (which performs `per_op` units) repeatedly for `seconds`; returns units/s.
async fn trial<F, Fut>(seconds: f64, per_op: u64, op: &mut F) -> Res<f64>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Res<()>>,
{
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut units = 0u64;
    while start.elapsed() < budget {
        for _ in 0..16 {
            op().await?;
            units += per_op;
        }
    }
    Ok(units as f64 / start.elapsed().as_secs_f64())
}

/// One system's side of a shape: measures one trial of the given length.
type Runner<'a> = Box<dyn FnMut(f64) -> Res<f64> + 'a>;

fn runner<'a, E, F, Fut>(executor: &'a E, per_op: u64, mut op: F) -> Option<Runner<'a>>
where
    E: Executor,
    F: FnMut() -> Fut + 'a,
    Fut: Future<Output = Res<()>>,
{
    Some(Box::new(move |seconds| {
        executor.drive(trial(seconds, per_op, &mut op))
    }))
}

const SYSTEMS: [&str; 5] = ["RustyRay", "tokio", "actix", "actix/Arbiter", "ractor"];
const RUSTYRAY: usize = 0;
const TOKIO: usize = 1;
const ACTIX: usize = 2;
/// actix with the actor on an `Arbiter` of its own (1:1 shapes only).
const ACTIX_ARBITER: usize = 3;
const RACTOR: usize = 4;

/// The bound a shape is held to (issue #13).
#[derive(Clone, Copy)]
enum Bound {
    None,
    /// RustyRay at least as fast as the fastest of actix (either placement) and ractor.
    FasterActorPeer,
    /// RustyRay at least half as fast as tokio.
    HalfTokio,
}

/// Rates of the trials of one system on one shape.
struct Rates(Vec<f64>);

impl Rates {
    fn mean(&self) -> f64 {
        self.0.iter().sum::<f64>() / self.0.len() as f64
    }

    fn sd(&self) -> f64 {
        let m = self.mean();
        let var = self.0.iter().map(|r| (r - m).powi(2)).sum::<f64>() / self.0.len() as f64;
        var.sqrt()
    }
}

struct Row {
    name: &'static str,
    bound: Bound,
    rates: [Option<Rates>; 5],
}

impl Row {
    fn mean(&self, system: usize) -> Option<f64> {
        self.rates[system].as_ref().map(Rates::mean)
    }

    /// The bound's ratio and whether it holds, if the shape has a bound.
    fn verdict(&self) -> Option<(String, f64, bool)> {
        let ours = self.mean(RUSTYRAY)?;
        match self.bound {
            Bound::None => None,
            Bound::FasterActorPeer => {
                let (name, best) = [ACTIX, ACTIX_ARBITER, RACTOR]
                    .into_iter()
                    .filter_map(|s| Some((SYSTEMS[s], self.mean(s)?)))
                    .max_by(|a, b| a.1.total_cmp(&b.1))?;
                let r = ours / best;
                Some((
                    format!(">= 1.0x {name} (the faster actor peer)"),
                    r,
                    r >= 1.0,
                ))
            }
            Bound::HalfTokio => {
                let r = ours / self.mean(TOKIO)?;
                Some((">= 0.5x tokio".to_owned(), r, r >= 0.5))
            }
        }
    }
}

struct Config {
    trials: usize,
    seconds: f64,
    only: Option<String>,
    system: Option<String>,
}

fn parse_args() -> Result<Config, String> {
    let mut trials = None;
    let mut seconds = None;
    let mut only = None;
    let mut system = None;
    let mut bench = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => bench = true,
            "--trials" => {
                trials = Some(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .filter(|&n: &usize| n > 0)
                        .ok_or("--trials needs a positive integer")?,
                );
            }
            "--seconds" => {
                seconds = Some(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .filter(|&s: &f64| s > 0.0)
                        .ok_or("--seconds needs a positive number")?,
                );
            }
            "--only" => only = Some(args.next().ok_or("--only needs a shape name")?),
            "--system" => {
                let name = args.next().ok_or("--system needs a system name")?;
                if !SYSTEMS.contains(&name.as_str()) {
                    return Err(format!("--system takes one of {}", SYSTEMS.join(", ")));
                }
                system = Some(name);
            }
            "--help" | "-h" => return Err(
                "usage: peers [--bench] [--trials N] [--seconds S] [--only SHAPE] [--system NAME]"
                    .to_owned(),
            ),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    // Under `cargo test --benches` (no `--bench`) a quick pass shows that every shape runs.
    let (default_trials, default_seconds) = if bench { (5, 1.0) } else { (1, 0.05) };
    Ok(Config {
        trials: trials.unwrap_or(default_trials),
        seconds: seconds.unwrap_or(default_seconds),
        only,
        system,
    })
}

/// Measures one shape: a warm-up per system, then the trials, the systems taking turns.
fn measure(
    config: &Config,
    name: &'static str,
    bound: Bound,
    mut runners: [Option<Runner<'_>>; 5],
    rows: &mut Vec<Row>,
) -> Res<()> {
    if config
        .only
        .as_ref()
        .is_some_and(|o| !name.contains(o.as_str()))
    {
        return Ok(());
    }
    if let Some(keep) = &config.system {
        for (name, r) in SYSTEMS.iter().zip(&mut runners) {
            if name != keep {
                *r = None;
            }
        }
    }
    for r in runners.iter_mut().flatten() {
        r(config.seconds / 5.0)?;
    }
    let mut rates: [Vec<f64>; 5] = Default::default();
    for _ in 0..config.trials {
        for (r, out) in runners.iter_mut().zip(&mut rates) {
            if let Some(r) = r {
                out.push(r(config.seconds)?);
            }
        }
    }
    let row = Row {
        name,
        bound,
        rates: rates.map(|v| (!v.is_empty()).then_some(Rates(v))),
    };
    println!("{name}");
    for (system, rates) in SYSTEMS.iter().zip(&row.rates) {
        match rates {
            Some(r) => {
                let trials: Vec<String> = r.0.iter().map(|x| format!("{x:.0}")).collect();
                println!(
                    "    {system:<13} per second {:.2} +- {:.2}    trials {}",
                    r.mean(),
                    r.sd(),
                    trials.join(" ")
                );
            }
            None => println!("    {system:<13} n/a"),
        }
    }
    if let Some((what, ratio, ok)) = row.verdict() {
        let flag = if ok { "ok" } else { "MISSED" };
        println!("    bound: RustyRay {what}: {ratio:.2} {flag}");
    }
    rows.push(row);
    Ok(())
}

/// The runtimes of the peers, each the one the system runs on by itself.
struct Systems {
    rustyray: rustyray::Runtime,
    tokio: tokio::runtime::Runtime,
    ractor: tokio::runtime::Runtime,
    actix: actix::SystemRunner,
    /// Clients (and actors) of the n:n shape.
    n: usize,
}

fn multi_thread_tokio(name: &str) -> Res<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(name)
        .build()?)
}

fn benchmarks(sys: &Systems, config: &Config) -> Res<Vec<Row>> {
    let mut rows = Vec::new();
    let per_batch = BATCH as u64;

    // 1:1 actor calls: one client, one actor.
    let client = sys.rustyray.drive(Client::remote())?;
    let mailbox = sys.tokio.drive(async { tokio_peer::actor() });
    let actix_counter = sys.actix.drive(async { actix_peer::counter() });
    let (arbiter, arbiter_counter) = sys.actix.drive(async { actix_peer::counter_on_arbiter() });
    let ractor_counter = sys.ractor.drive(ractor_peer::counter())?;
    measure(
        config,
        "1:1 actor calls sync",
        Bound::FasterActorPeer,
        [
            runner(&sys.rustyray, 1, || async {
                client.small_value().await?.get().await?;
                Ok(())
            }),
            runner(&sys.tokio, 1, || tokio_peer::call(&mailbox)),
            runner(&sys.actix, 1, || actix_peer::call(&actix_counter)),
            runner(&sys.actix, 1, || actix_peer::call(&arbiter_counter)),
            runner(&sys.ractor, 1, || ractor_peer::call(&ractor_counter)),
        ],
        &mut rows,
    )?;
    measure(
        config,
        "1:1 actor calls async",
        Bound::HalfTokio,
        [
            runner(&sys.rustyray, per_batch, || async {
                let refs = (0..BATCH)
                    .map(|_| client.small_value().into_result())
                    .collect::<rustyray::Result<Vec<_>>>()?;
                rustyray::get(&refs).await?;
                Ok(())
            }),
            runner(&sys.tokio, per_batch, || tokio_peer::call_batch(&mailbox)),
            runner(&sys.actix, per_batch, || {
                actix_peer::call_batch(&actix_counter)
            }),
            runner(&sys.actix, per_batch, || {
                actix_peer::call_batch(&arbiter_counter)
            }),
            runner(&sys.ractor, per_batch, || {
                ractor_peer::call_batch(&ractor_counter)
            }),
        ],
        &mut rows,
    )?;
    actix_peer::stop(arbiter);

    // n:n actor calls: n clients, each calling its own actor with one batch per round.
    let per_round = (sys.n * BATCH) as u64;
    let clients = sys.rustyray.drive(async {
        let mut clients = Vec::with_capacity(sys.n);
        for _ in 0..sys.n {
            clients.push(Client::remote().await?);
        }
        rustyray::Result::Ok(clients)
    })?;
    let mailboxes: Vec<_> = sys
        .tokio
        .drive(async { (0..sys.n).map(|_| tokio_peer::actor()).collect() });
    let pool = sys.actix.drive(async { actix_peer::Pool::new(sys.n) });
    let ractor_counters = sys.ractor.drive(async {
        let mut actors = Vec::with_capacity(sys.n);
        for _ in 0..sys.n {
            actors.push(ractor_peer::counter().await?);
        }
        Res::Ok(actors)
    })?;
    let outcome = measure(
        config,
        "n:n actor calls async",
        Bound::HalfTokio,
        [
            runner(&sys.rustyray, per_round, || async {
                let refs = clients
                    .iter()
                    .map(|c| call_batch::remote(c.clone()).into_result())
                    .collect::<rustyray::Result<Vec<_>>>()?;
                rustyray::get(&refs).await?;
                Ok(())
            }),
            runner(&sys.tokio, per_round, || tokio_peer::n_to_n(&mailboxes)),
            runner(&sys.actix, per_round, || pool.n_to_n()),
            None,
            runner(&sys.ractor, per_round, || {
                ractor_peer::n_to_n(&ractor_counters)
            }),
        ],
        &mut rows,
    );
    pool.stop();
    outcome?;

    // Tasks: ractor has no tasks of its own (its actors run on tokio's).
    measure(
        config,
        "single client tasks sync",
        Bound::None,
        [
            runner(&sys.rustyray, 1, || async {
                small_value::remote().await?.get().await?;
                Ok(())
            }),
            runner(&sys.tokio, 1, tokio_peer::task),
            runner(&sys.actix, 1, actix_peer::task),
            None,
            None,
        ],
        &mut rows,
    )?;
    measure(
        config,
        "single client tasks async",
        Bound::HalfTokio,
        [
            runner(&sys.rustyray, per_batch, || async {
                let refs = (0..BATCH)
                    .map(|_| small_value::remote().into_result())
                    .collect::<rustyray::Result<Vec<_>>>()?;
                rustyray::get(&refs).await?;
                Ok(())
            }),
            runner(&sys.tokio, per_batch, tokio_peer::task_batch),
            runner(&sys.actix, per_batch, actix_peer::task_batch),
            None,
            None,
        ],
        &mut rows,
    )?;

    // Chains: ObjectRefs (RustyRay), JoinHandles (tokio), a pipeline of actors (actix, ractor).
    let actix_head = sys.actix.drive(async { actix_peer::pipeline() });
    let stages = sys.ractor.drive(ractor_peer::pipeline())?;
    let Some(ractor_head) = stages.last() else {
        return fail("empty ractor pipeline");
    };
    measure(
        config,
        "100-long chains",
        Bound::HalfTokio,
        [
            runner(&sys.rustyray, 1, || async {
                let mut r = chain_step::remote(0).into_result()?;
                for _ in 1..CHAIN {
                    r = chain_step::remote(r).into_result()?;
                }
                if r.get().await? != CHAIN as u64 {
                    return fail("RustyRay chain lost a step");
                }
                Ok(())
            }),
            runner(&sys.tokio, 1, tokio_peer::chain),
            runner(&sys.actix, 1, || actix_peer::chain(&actix_head)),
            None,
            runner(&sys.ractor, 1, || ractor_peer::chain(ractor_head)),
        ],
        &mut rows,
    )?;
    for s in &stages {
        s.stop(None);
    }
    Ok(rows)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// 1234567.8 -> "1,234,568"
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A Markdown table: per system the mean rate ± sd, and for peers RustyRay's ratio to it.
fn print_table(rows: &[Row]) {
    println!();
    println!("Rates per second, mean ± sd over the trials; (x) = RustyRay / that system.");
    println!();
    println!("| shape | {} | bound |", SYSTEMS.join(" | "));
    println!("|---|{}---|", "---:|".repeat(SYSTEMS.len()));
    for row in rows {
        let cells: Vec<String> = (0..SYSTEMS.len())
            .map(|s| match (&row.rates[s], row.mean(RUSTYRAY)) {
                (None, _) => "n/a".to_owned(),
                (Some(r), Some(ours)) if s != RUSTYRAY => format!(
                    "{} ± {} ({:.2})",
                    thousands(r.mean()),
                    thousands(r.sd()),
                    ours / r.mean()
                ),
                (Some(r), _) => format!("{} ± {}", thousands(r.mean()), thousands(r.sd())),
            })
            .collect();
        let bound = match row.verdict() {
            Some((what, r, ok)) => {
                format!("{what}: {r:.2} {}", if ok { "ok" } else { "**missed**" })
            }
            None => "none".to_owned(),
        };
        println!("| {} | {} | {bound} |", row.name, cells.join(" | "));
    }
}

fn run(config: &Config) -> Res<Vec<Row>> {
    let sys = Systems {
        rustyray: rustyray::init()?,
        tokio: multi_thread_tokio("tokio-peer")?,
        ractor: multi_thread_tokio("ractor-peer")?,
        actix: actix::System::new(),
        n: std::thread::available_parallelism().map_or(1, usize::from),
    };
    println!(
        "RustyRay and its peers: {} trials of {} s per shape and system, {} CPUs, n:n with n = {}, load average {}",
        config.trials,
        config.seconds,
        sys.rustyray.total_resource("CPU").unwrap_or(0.0),
        sys.n,
        load_average()
    );
    let rows = benchmarks(&sys, config);
    sys.rustyray.shutdown();
    rows
}

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match run(&config) {
        Ok(rows) => {
            print_table(&rows);
            println!("\nload average after the run: {}", load_average());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            ExitCode::FAILURE
        }
    }
}
