//! `retry_exceptions` as a list of error types or a predicate: only matching errors are
//! retried, at most `max_retries` times.

mod common;

use std::error::Error;
use std::sync::atomic::{AtomicU32, Ordering};

use common::{drive, runtime};
use rustyray::{RetryExceptions, RustyRayError};

#[derive(Debug, thiserror::Error)]
#[error("transient failure")]
struct Transient;

#[derive(Debug, thiserror::Error)]
#[error("fatal failure")]
struct Fatal;

type AnyError = Box<dyn Error + Send + Sync>;

static PICKY_CALLS: AtomicU32 = AtomicU32::new(0);

/// Fails with the error named by `kind` until call `succeed_on` (counted over attempts).
#[rustyray::remote(max_retries = 3, retry_exceptions = [Transient, std::io::Error])]
async fn picky(kind: u8, succeed_on: u32) -> Result<u32, AnyError> {
    let n = PICKY_CALLS.fetch_add(1, Ordering::SeqCst) + 1;
    if n >= succeed_on {
        return Ok(n);
    }
    match kind {
        0 => Err(Box::new(Transient)),
        1 => Err(Box::new(std::io::Error::other("disk"))),
        2 => Err(Box::new(Fatal)),
        _ => panic!("attempt {n} panicked"),
    }
}

static PICKY_SYNC_CALLS: AtomicU32 = AtomicU32::new(0);

#[rustyray::remote(max_retries = 2, retry_exceptions = [Transient])]
fn picky_sync(fatal: bool) -> Result<u32, AnyError> {
    PICKY_SYNC_CALLS.fetch_add(1, Ordering::SeqCst);
    if fatal {
        Err(Box::new(Fatal))
    } else {
        Err(Box::new(Transient))
    }
}

static CHOOSY_CALLS: AtomicU32 = AtomicU32::new(0);

/// `picky_sync` for the options test, with its own counter (tests run in parallel).
#[rustyray::remote(max_retries = 2, retry_exceptions = [Transient])]
fn choosy(fatal: bool) -> Result<u32, AnyError> {
    CHOOSY_CALLS.fetch_add(1, Ordering::SeqCst);
    if fatal {
        Err(Box::new(Fatal))
    } else {
        Err(Box::new(Transient))
    }
}

fn calls(counter: &AtomicU32) -> u32 {
    counter.swap(0, Ordering::SeqCst)
}

#[test]
fn listed_error_types_are_retried_and_others_are_not() {
    let rt = runtime(2.0);
    drive(&rt, async {
        calls(&PICKY_CALLS);
        assert_eq!(
            picky::remote(0, 3).await?.get().await?,
            3,
            "Transient: retried"
        );
        assert_eq!(calls(&PICKY_CALLS), 3);

        let err = picky::remote(1, 100).await?.get().await.expect_err("io");
        assert!(err.downcast_ref::<std::io::Error>().is_some(), "{err}");
        assert_eq!(calls(&PICKY_CALLS), 4, "io::Error: 1 try + max_retries 3");

        let err = picky::remote(2, 2).await?.get().await.expect_err("fatal");
        assert!(err.downcast_ref::<Fatal>().is_some(), "{err}");
        assert_eq!(calls(&PICKY_CALLS), 1, "Fatal is not listed: no retry");

        let err = picky::remote(3, 2).await?.get().await.expect_err("panic");
        assert!(matches!(err, RustyRayError::TaskPanicked { .. }), "{err}");
        assert_eq!(
            calls(&PICKY_CALLS),
            1,
            "a panic has no listed type: no retry"
        );

        calls(&PICKY_SYNC_CALLS);
        assert!(picky_sync::remote(false).await?.get().await.is_err());
        assert_eq!(calls(&PICKY_SYNC_CALLS), 3, "sync: 1 try + 2 retries");
        assert!(picky_sync::remote(true).await?.get().await.is_err());
        assert_eq!(calls(&PICKY_SYNC_CALLS), 1, "sync: Fatal not retried");
        rustyray::Result::Ok(())
    })
    .expect("retries");
}

#[test]
fn options_override_the_list_with_a_predicate_or_types() {
    let rt = runtime(2.0);
    drive(&rt, async {
        let spec = rustyray::registry::remote_function("picky").expect("registered");
        assert!(matches!(
            spec.retry_exceptions,
            RetryExceptions::Types(list) if list.len() == 2
        ));

        calls(&CHOOSY_CALLS);
        let only_fatal = choosy::options()
            .retry_exceptions_if(|e| e.is::<Fatal>())
            .remote(true)
            .await?;
        assert!(only_fatal.get().await.is_err());
        assert_eq!(calls(&CHOOSY_CALLS), 3, "the predicate accepts Fatal");
        let transient = choosy::options()
            .retry_exceptions_if(|e| e.is::<Fatal>())
            .remote(false)
            .await?;
        assert!(transient.get().await.is_err());
        assert_eq!(calls(&CHOOSY_CALLS), 1, "the predicate replaced the list");

        let both = choosy::options()
            .retry_exceptions(false)
            .retry_on::<Fatal>()
            .retry_on::<Transient>()
            .max_retries(1);
        assert!(both.remote(true).await?.get().await.is_err());
        assert_eq!(calls(&CHOOSY_CALLS), 2, "retry_on adds Fatal");
        let both = choosy::options()
            .retry_exceptions(false)
            .retry_on::<Fatal>()
            .retry_on::<Transient>()
            .max_retries(1);
        assert!(both.remote(false).await?.get().await.is_err());
        assert_eq!(calls(&CHOOSY_CALLS), 2, "retry_on adds Transient");

        let none = choosy::options().retry_exceptions(false).remote(false);
        assert!(none.await?.get().await.is_err());
        assert_eq!(
            calls(&CHOOSY_CALLS),
            1,
            "retry_exceptions(false) disables the list"
        );
        rustyray::Result::Ok(())
    })
    .expect("options");
}
