//! Streaming generators (Ray's `num_returns="streaming"`): a remote function or actor
//! method that takes a [`Yielder<T>`] sends values through it, each becoming an object
//! at once; the caller reads their references from an [`ObjectRefGenerator<T>`] as they
//! are produced.

use std::any::Any;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Waker};

use futures::Stream;
use parking_lot::Mutex;
use ray_common::{ObjectId, TaskId};

use crate::context;
use crate::control::{ControlRef, Output};
use crate::error::{Result, RustyRayError};
use crate::object::{ObjectRef, ObjectStore};
use crate::returns::{NewReturns, Returns};

/// Item indexes of a streaming task end here; its `put`s are numbered after it.
pub(crate) const STREAM_INDEX_LIMIT: u32 = 1 << 31;

/// How far the producer got.
enum End {
    Running,
    /// Returned: the stream ends after the items.
    Done,
    /// Failed (or was cancelled): the error follows the items, once.
    Failed(RustyRayError),
    /// The error was handed to the reader.
    Reported,
}

struct Inner<T> {
    items: VecDeque<ObjectRef<T>>,
    produced: u32,
    end: End,
    reader: Option<Waker>,
}

/// What producer and reader of one stream share.
#[doc(hidden)]
pub struct StreamState<T> {
    task_id: TaskId,
    store: Arc<ObjectStore>,
    inner: Mutex<Inner<T>>,
    control: OnceLock<ControlRef>,
}

impl<T: Send + Sync + 'static> StreamState<T> {
    fn new(task_id: TaskId, store: Arc<ObjectStore>) -> Self {
        StreamState {
            task_id,
            store,
            inner: Mutex::new(Inner {
                items: VecDeque::new(),
                produced: 0,
                end: End::Running,
                reader: None,
            }),
            control: OnceLock::new(),
        }
    }

    /// Stores `value` as the next item; fails once the stream has ended (cancelled, or
    /// its reader is gone).
    fn emit(&self, value: T) -> Result<()> {
        let mut inner = self.inner.lock();
        match &inner.end {
            End::Running => {}
            End::Failed(e) => return Err(e.clone()),
            End::Done | End::Reported => {
                return Err(RustyRayError::Cancelled {
                    task_id: self.task_id,
                })
            }
        }
        let index = inner.produced + 1;
        if index >= STREAM_INDEX_LIMIT {
            return Err(RustyRayError::InvalidArgument(format!(
                "a streaming task yields fewer than {STREAM_INDEX_LIMIT} items"
            )));
        }
        let id = ObjectId::from_index(&self.task_id, index)
            .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))?;
        let cell = self.store.create_ready(id, value)?;
        inner.produced = index;
        inner.items.push_back(ObjectRef { cell });
        let reader = inner.reader.take();
        drop(inner);
        if let Some(w) = reader {
            w.wake();
        }
        Ok(())
    }

    /// Ends the stream with the producer's outcome; false if it had ended already.
    fn finish(&self, outcome: Result<()>) -> bool {
        let mut inner = self.inner.lock();
        if !matches!(inner.end, End::Running) {
            return false;
        }
        inner.end = match outcome {
            Ok(()) => End::Done,
            Err(e) => End::Failed(e),
        };
        let reader = inner.reader.take();
        drop(inner);
        if let Some(w) = reader {
            w.wake();
        }
        true
    }

    fn is_finished(&self) -> bool {
        !matches!(self.inner.lock().end, End::Running)
    }

    fn poll_item(&self, cx: &mut Context<'_>) -> Poll<Option<Result<ObjectRef<T>>>> {
        let mut inner = self.inner.lock();
        if let Some(item) = inner.items.pop_front() {
            return Poll::Ready(Some(Ok(item)));
        }
        match std::mem::replace(&mut inner.end, End::Reported) {
            End::Running => {
                inner.end = End::Running;
                inner.reader = Some(cx.waker().clone());
                Poll::Pending
            }
            End::Failed(e) => Poll::Ready(Some(Err(e))),
            End::Done => {
                inner.end = End::Done;
                Poll::Ready(None)
            }
            End::Reported => Poll::Ready(None),
        }
    }
}

impl<T: Send + Sync + 'static> Output for StreamState<T> {
    fn fail(&self, error: RustyRayError) -> bool {
        self.finish(Err(error))
    }

    fn set_control(&self, control: ControlRef) {
        let _ = self.control.set(control);
    }
}

/// The producer's end of a streaming call: every [`send`](Self::send) stores a value as
/// the call's next object, readable by the caller at once.
///
/// A remote function (or actor method) becomes a streaming generator by taking a
/// `Yielder<T>` as its last parameter; the caller does not pass it, and `remote(..)`
/// gives an [`ObjectRefGenerator<T>`]. The function returns `()` or `Result<(), E>`: an
/// `Err` (or a panic) reaches the reader after the items sent before it.
///
/// ```
/// use futures::StreamExt;
///
/// #[rustyray::remote]
/// async fn countdown(from: u32, out: rustyray::Yielder<u32>) -> rustyray::Result<()> {
///     for i in (1..=from).rev() {
///         out.send(i)?;
///     }
///     Ok(())
/// }
///
/// # fn main() -> rustyray::Result<()> {
/// let rt = rustyray::Runtime::builder().num_cpus(1.0).build()?;
/// let values = rt.block_on(async {
///     let mut refs = countdown::remote(3).await?;
///     let mut values = Vec::new();
///     while let Some(r) = refs.next().await {
///         values.push(r?.get().await?);
///     }
///     rustyray::Result::Ok(values)
/// })?;
/// assert_eq!(values, vec![3, 2, 1]);
/// # Ok(())
/// # }
/// ```
pub struct Yielder<T> {
    state: Arc<StreamState<T>>,
}

impl<T: Send + Sync + 'static> Yielder<T> {
    /// Stores `value` as the next item. Fails with `RustyRayError::Cancelled` once the
    /// call was cancelled or its generator dropped (the value is discarded): return
    /// with `?` to stop producing.
    pub fn send(&self, value: T) -> Result<()> {
        self.state.emit(value)
    }

    /// Items sent so far.
    pub fn sent(&self) -> u32 {
        self.state.inner.lock().produced
    }
}

impl<T> fmt::Debug for Yielder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Yielder")
            .field("task_id", &self.state.task_id)
            .finish()
    }
}

/// The [`Yielder`] of the running streaming call (used by the generated code).
#[doc(hidden)]
pub fn current_yielder<T: Send + Sync + 'static>() -> std::result::Result<Yielder<T>, String> {
    let state = context::current_stream()
        .ok_or_else(|| "not running a streaming call".to_owned())?
        .downcast::<StreamState<T>>()
        .map_err(|_| "the stream carries another item type".to_owned())?;
    Ok(Yielder { state })
}

/// The caller's end of a streaming call (Ray's `ObjectRefGenerator`): a
/// [`Stream`](futures::Stream) of the references of the items, in order, each available
/// as soon as the call has sent it. A failure of the call (an `Err`, a panic, a cancel)
/// is the last item; then the stream ends.
///
/// Use `futures::StreamExt::next` in async code and [`next_blocking`](Self::next_blocking)
/// or [`blocking_iter`](Self::blocking_iter) elsewhere. Dropping the generator before the
/// call finished cancels the call (nothing could read its later items) and frees the
/// items not read.
pub struct ObjectRefGenerator<T: Send + Sync + 'static> {
    state: Arc<StreamState<T>>,
}

impl<T: Send + Sync + 'static> ObjectRefGenerator<T> {
    /// The producing task.
    pub fn task_id(&self) -> TaskId {
        self.state.task_id
    }

    /// True once the call returned, failed or was cancelled (items may remain unread).
    pub fn is_finished(&self) -> bool {
        self.state.is_finished()
    }

    /// Cancels the call (recursively, for a normal task): it stops at its next
    /// `send` (an async body at its next await), and the reader gets
    /// `RustyRayError::Cancelled` after the items sent before. False if it had finished.
    pub fn cancel(&self) -> bool {
        let error = RustyRayError::Cancelled {
            task_id: self.state.task_id,
        };
        match self.state.control.get() {
            Some(control) => control.cancel(true),
            None => self.state.finish(Err(error)),
        }
    }

    /// An object of the producing task that holds `error`, numbered after the items:
    /// for readers that report the call's failure as a failed last item (as Ray's
    /// generators do) rather than as an error of the stream.
    pub fn error_item(&self, error: RustyRayError) -> Result<ObjectRef<T>> {
        let index = self.state.inner.lock().produced.saturating_add(1);
        let id = ObjectId::from_index(&self.state.task_id, index)
            .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))?;
        let cell = self.state.store.create::<T>(id)?;
        cell.complete(Err(error));
        Ok(ObjectRef { cell })
    }

    /// A future of the next item that waits as a wait of the calling task, as
    /// [`ObjectRef::get`] does: inside a task, the task's CPU is lent while it waits, so
    /// the producer can run even when the reader holds the last CPU. A cancel of the
    /// waiting task ends the wait with `Some(Err(Cancelled))`. One read at a time.
    pub fn next_waiting(
        &self,
    ) -> impl std::future::Future<Output = Option<Result<ObjectRef<T>>>> + Send + 'static {
        let state = Arc::clone(&self.state);
        async move {
            let next = futures::future::poll_fn(move |cx| state.poll_item(cx));
            crate::control::blocked(next)
                .await
                .unwrap_or_else(|e| Some(Err(e)))
        }
    }

    /// Blocks the thread for the next item; for synchronous code (not on an async
    /// worker). Inside a task, its CPU is lent while it waits (see
    /// [`next_waiting`](Self::next_waiting)).
    pub fn next_blocking(&mut self) -> Option<Result<ObjectRef<T>>> {
        futures::executor::block_on(self.next_waiting())
    }

    /// The items as a blocking [`Iterator`].
    pub fn blocking_iter(self) -> BlockingIter<T> {
        BlockingIter(self)
    }
}

impl<T: Send + Sync + 'static> Stream for ObjectRefGenerator<T> {
    type Item = Result<ObjectRef<T>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.state.poll_item(cx)
    }
}

impl<T: Send + Sync + 'static> Drop for ObjectRefGenerator<T> {
    fn drop(&mut self) {
        if !self.state.is_finished() {
            self.cancel();
        }
        // Unread items go now, whatever the producer still holds.
        let unread = std::mem::take(&mut self.state.inner.lock().items);
        drop(unread);
    }
}

impl<T: Send + Sync + 'static> fmt::Debug for ObjectRefGenerator<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectRefGenerator")
            .field("task_id", &self.state.task_id)
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// [`ObjectRefGenerator::blocking_iter`].
pub struct BlockingIter<T: Send + Sync + 'static>(ObjectRefGenerator<T>);

impl<T: Send + Sync + 'static> Iterator for BlockingIter<T> {
    type Item = Result<ObjectRef<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next_blocking()
    }
}

/// The [`Returns`] shape of a streaming call: no fixed objects, a stream of items.
#[doc(hidden)]
pub struct Streaming<T>(PhantomData<fn() -> T>);

impl<T: Send + Sync + 'static> Returns for Streaming<T> {
    type Value = ();
    type Refs = ObjectRefGenerator<T>;
    type Writers = Arc<StreamState<T>>;
    const COUNT: u32 = STREAM_INDEX_LIMIT;
    const STREAMING: bool = true;

    fn create(new: &mut NewReturns<'_>) -> Result<(Self::Writers, Self::Refs)> {
        let state = Arc::new(StreamState::new(new.task_id(), new.store()));
        new.add_output(Arc::clone(&state) as Arc<dyn Output>);
        let reader = ObjectRefGenerator {
            state: Arc::clone(&state),
        };
        Ok((state, reader))
    }

    fn complete(writers: &Self::Writers, result: Result<()>) {
        writers.finish(result);
    }

    fn is_complete(writers: &Self::Writers) -> bool {
        writers.is_finished()
    }

    fn stream(writers: &Self::Writers) -> Option<Arc<dyn Any + Send + Sync>> {
        Some(Arc::clone(writers) as Arc<dyn Any + Send + Sync>)
    }
}
