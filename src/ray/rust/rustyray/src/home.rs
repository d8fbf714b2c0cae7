//! The home thread of a pinned actor: one OS thread that runs its constructor and every
//! synchronous call, as Ray runs a sequential actor's code on its worker process's one
//! thread. State bound to a thread (thread-locals, objects that check the thread that
//! made them) then lasts from one call to the next.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

use crate::error::{panic_message, TaskCause};

type Job = Box<dyn FnOnce() + Send>;

/// A thread that runs the jobs it is sent, one at a time, in order. It ends once this
/// handle is dropped and the job it is running (if any) returns.
pub(crate) struct HomeThread {
    jobs: mpsc::Sender<Job>,
}

impl HomeThread {
    pub(crate) fn start() -> std::io::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("rustyray-actor".to_owned())
            .spawn(move || {
                while let Ok(job) = queue.recv() {
                    job();
                }
            })?;
        Ok(HomeThread { jobs })
    }

    /// Runs `f` on the thread; a panic becomes the call's error.
    pub(crate) async fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<R, TaskCause> + Send + 'static,
    ) -> Result<R, TaskCause> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let out = std::panic::catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| {
                Err(TaskCause::new(format!("panicked: {}", panic_message(&*p))))
            });
            let _ = reply.send(out);
        });
        if self.jobs.send(job).is_err() {
            return Err(TaskCause::new("the actor's thread has ended"));
        }
        answer
            .await
            .unwrap_or_else(|_| Err(TaskCause::new("the actor's thread has ended")))
    }
}
