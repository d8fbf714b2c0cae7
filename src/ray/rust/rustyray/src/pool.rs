//! The threads of a threaded actor: Ray runs a threaded actor's calls on a pool of
//! `max_concurrency` threads of the actor's own, so what a call leaves in a thread-local
//! is found by later calls on that thread. Threads start as calls need them, up to the
//! limit, and end with the pool.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

use parking_lot::Mutex;

use crate::error::{caught, TaskCause};

type Job = Box<dyn FnOnce() + Send>;

pub(crate) struct ThreadPool {
    jobs: mpsc::Sender<Job>,
    queue: Arc<Mutex<mpsc::Receiver<Job>>>,
    /// Threads started; of those, the ones waiting for a job; jobs sent, not yet taken.
    /// A thread starts when the jobs waiting outnumber the idle threads.
    started: AtomicUsize,
    idle: Arc<AtomicUsize>,
    waiting: Arc<AtomicUsize>,
    limit: usize,
}

impl ThreadPool {
    pub(crate) fn new(limit: usize) -> Self {
        let (jobs, queue) = mpsc::channel();
        ThreadPool {
            jobs,
            queue: Arc::new(Mutex::new(queue)),
            started: AtomicUsize::new(0),
            idle: Arc::new(AtomicUsize::new(0)),
            waiting: Arc::new(AtomicUsize::new(0)),
            limit: limit.max(1),
        }
    }

    /// Runs `f` on one of the threads (a new one if none is idle and the limit allows);
    /// a panic becomes the call's error.
    pub(crate) async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<R, TaskCause> + Send + 'static,
    ) -> Result<R, TaskCause> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(caught(f));
        });
        self.waiting.fetch_add(1, Ordering::SeqCst);
        if self.jobs.send(job).is_err() {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(TaskCause::new("the actor's threads have ended"));
        }
        if self.waiting.load(Ordering::SeqCst) > self.idle.load(Ordering::SeqCst) {
            self.grow()?;
        }
        answer
            .await
            .unwrap_or_else(|_| Err(TaskCause::new("the actor's threads have ended")))
    }

    fn grow(&self) -> Result<(), TaskCause> {
        let mut started = self.started.load(Ordering::SeqCst);
        loop {
            if started >= self.limit {
                return Ok(()); // the job waits for a thread to be free
            }
            match self.started.compare_exchange(
                started,
                started + 1,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(_) => break,
                Err(now) => started = now,
            }
        }
        let queue = Arc::clone(&self.queue);
        let idle = Arc::clone(&self.idle);
        let waiting = Arc::clone(&self.waiting);
        let spawned = std::thread::Builder::new()
            .name("rustyray-actor".to_owned())
            .spawn(move || loop {
                idle.fetch_add(1, Ordering::SeqCst);
                let job = queue.lock().recv();
                idle.fetch_sub(1, Ordering::SeqCst);
                match job {
                    Ok(job) => {
                        waiting.fetch_sub(1, Ordering::SeqCst);
                        job();
                    }
                    Err(_) => return,
                }
            });
        match spawned {
            Ok(_) => Ok(()),
            Err(e) => {
                self.started.fetch_sub(1, Ordering::SeqCst);
                if started == 0 {
                    Err(TaskCause::new(format!(
                        "cannot start the actor's thread: {e}"
                    )))
                } else {
                    Ok(())
                }
            }
        }
    }
}
