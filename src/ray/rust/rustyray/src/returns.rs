//! The objects a call returns: one (`ObjectRef<T>`) or, with `num_returns = n`, a tuple
//! of `n` independent references, one per element of the tuple the function returns.
//!
//! The producer side of each shape is a set of [`ObjectWriter`]s; a successful result is
//! split over them, a failure fails all of them with the same error.

use std::any::Any;
use std::sync::{Arc, Weak};

use ray_common::{ObjectId, TaskId};

use crate::control::{ControlRef, Output, Outputs};
use crate::error::{Result, RustyRayError};
use crate::object::{Abandon, ObjectCell, ObjectRef, ObjectStore, ObjectWriter};

/// The return objects of one call while they are being created: their IDs follow each
/// other from index 1, as Ray numbers a task's returns.
#[doc(hidden)]
pub struct NewReturns<'s> {
    /// Borrowed: a clone would cost every call two atomic updates of the store's count.
    store: &'s Arc<ObjectStore>,
    task_id: TaskId,
    abandon: Abandon,
    next_index: u32,
    outputs: Outputs,
    /// For a normal task: whether a single output may keep the task's control block,
    /// and the block once one does.
    may_host: bool,
    hosted: Option<ControlRef>,
}

impl<'s> NewReturns<'s> {
    pub(crate) fn new(store: &'s Arc<ObjectStore>, task_id: TaskId, abandon: Abandon) -> Self {
        NewReturns {
            store,
            task_id,
            abandon,
            next_index: 0,
            outputs: Outputs::None,
            may_host: false,
            hosted: None,
        }
    }

    /// The outputs of normal task `task_id`, which end with its control block
    /// ([`into_control`](Self::into_control)).
    pub(crate) fn of_normal_task(store: &'s Arc<ObjectStore>, task_id: TaskId) -> Self {
        NewReturns {
            may_host: true,
            ..NewReturns::new(store, task_id, Abandon::Task(task_id))
        }
    }

    /// Creates the only return object; it keeps the task's control block when the task
    /// is a normal one.
    fn only_object<T: Send + Sync + 'static>(&mut self) -> Result<(ObjectWriter<T>, ObjectRef<T>)> {
        if !self.may_host {
            return self.object();
        }
        let id = self.next_id()?;
        let (cell, control) = self.store.create_hosting::<T>(id, self.task_id)?;
        self.hosted = Some(control);
        Ok(self.handles(cell))
    }

    /// Creates the next return object.
    fn object<T: Send + Sync + 'static>(&mut self) -> Result<(ObjectWriter<T>, ObjectRef<T>)> {
        let id = self.next_id()?;
        let cell = self.store.create::<T>(id)?;
        let weak: Weak<ObjectCell<T>> = Arc::downgrade(&cell);
        self.outputs.push(weak);
        Ok(self.handles(cell))
    }

    /// The ID of the next return object: indexes follow each other from 1.
    fn next_id(&mut self) -> Result<ObjectId> {
        self.next_index += 1;
        ObjectId::from_index(&self.task_id, self.next_index)
            .map_err(|e| RustyRayError::InvalidArgument(e.to_string()))
    }

    /// The producer's and the caller's handle of a new return object.
    fn handles<T>(&self, cell: Arc<ObjectCell<T>>) -> (ObjectWriter<T>, ObjectRef<T>) {
        let writer = ObjectWriter::new(Arc::clone(&cell), self.abandon.clone());
        (writer, ObjectRef { cell })
    }

    pub(crate) fn task_id(&self) -> TaskId {
        self.task_id
    }

    pub(crate) fn store(&self) -> Arc<ObjectStore> {
        Arc::clone(self.store)
    }

    /// Registers a producer-side object that is not a store entry (a stream).
    pub(crate) fn add_output(&mut self, output: Arc<dyn Output>) {
        self.outputs.push(Arc::downgrade(&output));
    }

    /// The task's control block: the one its single output keeps, or a new one
    /// producing the outputs.
    pub(crate) fn into_control(self) -> ControlRef {
        match self.hosted {
            Some(control) => control,
            None => ControlRef::producing(self.task_id, self.outputs),
        }
    }
}

/// What a call returns: the value its body produces, the references the caller gets and
/// the writers that complete them. Implemented by [`One`] and by tuples of 2 to 8
/// elements (`num_returns = 2..=8`).
#[doc(hidden)]
pub trait Returns: Send + 'static {
    /// What the function body produces.
    type Value: Send + 'static;
    /// What `remote(..)` hands to the caller.
    type Refs;
    /// The producer's side of the references.
    type Writers: Send + Sync + 'static;
    /// Number of objects (Ray's `num_returns`); `put`s inside the call are numbered
    /// after them.
    const COUNT: u32;
    /// A streaming call: its items cannot be taken back, so it is never retried.
    const STREAMING: bool = false;

    /// Creates the objects of one call.
    fn create(new: &mut NewReturns<'_>) -> Result<(Self::Writers, Self::Refs)>;
    /// Stores the call's outcome: a value is split over the objects, an error fails
    /// every one of them.
    fn complete(writers: &Self::Writers, result: Result<Self::Value>);
    /// True once every object is complete (the call has nothing left to produce).
    fn is_complete(writers: &Self::Writers) -> bool;
    /// What the running call reaches through its context to send items (streams only).
    fn stream(writers: &Self::Writers) -> Option<Arc<dyn Any + Send + Sync>> {
        let _ = writers;
        None
    }
}

/// A single return value (the default, `num_returns = 1`).
#[doc(hidden)]
pub struct One<T>(std::marker::PhantomData<fn() -> T>);

impl<T: Send + Sync + 'static> Returns for One<T> {
    type Value = T;
    type Refs = ObjectRef<T>;
    type Writers = ObjectWriter<T>;
    const COUNT: u32 = 1;

    fn create(new: &mut NewReturns<'_>) -> Result<(Self::Writers, Self::Refs)> {
        new.only_object::<T>()
    }

    fn complete(writers: &Self::Writers, result: Result<T>) {
        writers.complete(result);
    }

    fn is_complete(writers: &Self::Writers) -> bool {
        writers.is_complete()
    }
}

macro_rules! tuple_returns {
    ($count:literal: $($t:ident $i:tt),+) => {
        impl<$($t: Send + Sync + 'static),+> Returns for ($($t,)+) {
            type Value = ($($t,)+);
            type Refs = ($(ObjectRef<$t>,)+);
            type Writers = ($(ObjectWriter<$t>,)+);
            const COUNT: u32 = $count;

            fn create(new: &mut NewReturns<'_>) -> Result<(Self::Writers, Self::Refs)> {
                let made = ($(new.object::<$t>()?,)+);
                Ok((($(made.$i.0,)+), ($(made.$i.1,)+)))
            }

            fn complete(writers: &Self::Writers, result: Result<Self::Value>) {
                match result {
                    Ok(values) => {
                        $(writers.$i.complete(Ok(values.$i));)+
                    }
                    Err(e) => {
                        $(writers.$i.complete(Err(e.clone()));)+
                    }
                }
            }

            fn is_complete(writers: &Self::Writers) -> bool {
                true $(&& writers.$i.is_complete())+
            }
        }
    };
}

tuple_returns!(2: A 0, B 1);
tuple_returns!(3: A 0, B 1, C 2);
tuple_returns!(4: A 0, B 1, C 2, D 3);
tuple_returns!(5: A 0, B 1, C 2, D 3, E 4);
tuple_returns!(6: A 0, B 1, C 2, D 3, E 4, F 5);
tuple_returns!(7: A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_returns!(8: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
