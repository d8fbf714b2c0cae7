//! Which failures of a task are worth another attempt (Ray's `retry_exceptions`, which
//! takes either a bool or a list of exception classes).

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

/// An error as a task's body returned it.
pub type UserError = dyn StdError + Send + Sync + 'static;

/// Recognises one kind of user error; the macro writes one per listed type.
pub type ErrorMatcher = fn(&UserError) -> bool;

/// A caller-supplied test of a user error.
pub type ErrorPredicate = Arc<dyn Fn(&UserError) -> bool + Send + Sync>;

/// Which failures of a remote function are retried, at most `max_retries` times.
///
/// * [`Never`](Self::Never) (the default, `retry_exceptions = false`): failures are final.
/// * [`All`](Self::All) (`retry_exceptions = true`): any `Err` and any panic.
/// * [`Types`](Self::Types) (`retry_exceptions = [ErrA, ErrB]`): an `Err` whose error is
///   one of the listed types; panics and other errors are final, as Ray retries only the
///   listed exception classes.
/// * [`Predicate`](Self::Predicate) (`f::options().retry_exceptions_if(..)`): an `Err`
///   the predicate accepts.
///
/// ```
/// use rustyray::RetryExceptions;
/// let only_io = RetryExceptions::predicate(|e| e.is::<std::io::Error>());
/// let io = std::io::Error::other("disk");
/// assert!(only_io.retries_error(&io));
/// assert!(!only_io.retries_error(&std::fmt::Error));
/// assert!(!only_io.retries_panics());
/// assert!(RetryExceptions::All.retries_panics());
/// ```
#[derive(Clone, Default)]
pub enum RetryExceptions {
    /// No failure is retried.
    #[default]
    Never,
    /// Every failure is retried: errors of any type and panics.
    All,
    /// Errors matched by one of these (see `rustyray::error_is`).
    Types(&'static [ErrorMatcher]),
    /// Errors the predicate accepts.
    Predicate(ErrorPredicate),
}

impl RetryExceptions {
    /// Retry the errors `f` accepts.
    pub fn predicate(f: impl Fn(&UserError) -> bool + Send + Sync + 'static) -> Self {
        RetryExceptions::Predicate(Arc::new(f))
    }

    /// This policy, extended to errors of type `E` (panics stay final unless the policy
    /// is [`All`](Self::All), which already covers `E`).
    pub fn or_type<E: StdError + 'static>(self) -> Self {
        match self {
            RetryExceptions::All => RetryExceptions::All,
            RetryExceptions::Never => RetryExceptions::predicate(error_is::<E>),
            other => RetryExceptions::predicate(move |e| other.retries_error(e) || e.is::<E>()),
        }
    }

    /// True unless the policy is [`Never`](Self::Never).
    pub fn is_enabled(&self) -> bool {
        !matches!(self, RetryExceptions::Never)
    }

    /// Whether a task that returned `error` is retried (retries permitting).
    pub fn retries_error(&self, error: &UserError) -> bool {
        match self {
            RetryExceptions::Never => false,
            RetryExceptions::All => true,
            RetryExceptions::Types(matchers) => matchers.iter().any(|m| m(error)),
            RetryExceptions::Predicate(p) => p(error),
        }
    }

    /// Whether a task that panicked is retried: a panic has no error type, so only
    /// [`All`](Self::All) covers it.
    pub fn retries_panics(&self) -> bool {
        matches!(self, RetryExceptions::All)
    }
}

impl From<bool> for RetryExceptions {
    fn from(yes: bool) -> Self {
        if yes {
            RetryExceptions::All
        } else {
            RetryExceptions::Never
        }
    }
}

impl fmt::Debug for RetryExceptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryExceptions::Never => f.write_str("Never"),
            RetryExceptions::All => f.write_str("All"),
            RetryExceptions::Types(m) => write!(f, "Types({} types)", m.len()),
            RetryExceptions::Predicate(_) => f.write_str("Predicate(..)"),
        }
    }
}

/// Policies compare equal when they are the same variant with the same list or the same
/// predicate object (closures cannot be compared otherwise).
impl PartialEq for RetryExceptions {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (RetryExceptions::Never, RetryExceptions::Never)
            | (RetryExceptions::All, RetryExceptions::All) => true,
            (RetryExceptions::Types(a), RetryExceptions::Types(b)) => std::ptr::eq(*a, *b),
            (RetryExceptions::Predicate(a), RetryExceptions::Predicate(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// True if `error` has type `E`: the matcher `retry_exceptions = [E]` stands for.
pub fn error_is<E: StdError + 'static>(error: &UserError) -> bool {
    error.is::<E>()
}
