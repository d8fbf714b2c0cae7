//! Resource accounting: CPUs, GPUs and custom resources, as fixed-point permits.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{Result, RustyRayError};

/// Resources are counted in 1/10000 units, as Ray does.
const UNIT: f64 = 10_000.0;

fn to_units(name: &str, amount: f64) -> Result<u32> {
    if !amount.is_finite() || amount < 0.0 {
        return Err(RustyRayError::InvalidArgument(format!(
            "resource {name} must be a non-negative number, got {amount}"
        )));
    }
    let units = (amount * UNIT).round();
    if units > f64::from(u32::MAX) {
        return Err(RustyRayError::InvalidArgument(format!(
            "resource {name} is too large: {amount}"
        )));
    }
    Ok(units as u32)
}

struct Pool {
    semaphore: Arc<Semaphore>,
    total: u32,
}

impl Pool {
    fn new(name: &str, amount: f64) -> Result<Self> {
        let total = to_units(name, amount)?;
        Ok(Pool {
            semaphore: Arc::new(Semaphore::new(total as usize)),
            total,
        })
    }
}

/// The resources of one runtime.
pub(crate) struct Resources {
    cpu: Pool,
    gpu: Pool,
    custom: HashMap<String, Pool>,
}

/// What one task or actor asks for.
#[derive(Default)]
pub(crate) struct Demand {
    cpu: u32,
    gpu: u32,
    custom: Vec<(Arc<Semaphore>, u32)>,
}

/// Resources held by a running task; released when dropped. The CPU part can be
/// released separately while the task blocks in `get`.
pub(crate) struct Grant {
    pub(crate) cpu: Option<CpuPermit>,
    pub(crate) rest: Vec<OwnedSemaphorePermit>,
}

/// A task's CPU share.
pub(crate) struct CpuPermit {
    permit: OwnedSemaphorePermit,
}

impl CpuPermit {
    /// Gives the CPU back; [`CpuLoan::repay`] takes it again.
    pub(crate) fn lend(self) -> CpuLoan {
        let units = self.permit.num_permits() as u32;
        let semaphore = Arc::clone(self.permit.semaphore());
        drop(self.permit);
        CpuLoan { semaphore, units }
    }
}

/// A CPU share given back while its task waits.
pub(crate) struct CpuLoan {
    semaphore: Arc<Semaphore>,
    units: u32,
}

impl CpuLoan {
    pub(crate) async fn repay(self) -> Option<CpuPermit> {
        let permit = self.semaphore.acquire_many_owned(self.units).await.ok()?;
        Some(CpuPermit { permit })
    }
}

impl Resources {
    pub(crate) fn new(num_cpus: f64, num_gpus: f64, custom: &[(String, f64)]) -> Result<Self> {
        let mut pools = HashMap::new();
        for (name, amount) in custom {
            pools.insert(name.clone(), Pool::new(name, *amount)?);
        }
        Ok(Resources {
            cpu: Pool::new("CPU", num_cpus)?,
            gpu: Pool::new("GPU", num_gpus)?,
            custom: pools,
        })
    }

    /// Checks a request against the totals; an infeasible one is an error, as it could
    /// never run.
    pub(crate) fn demand<S: AsRef<str>>(
        &self,
        cpus: f64,
        gpus: f64,
        custom: &[(S, f64)],
    ) -> Result<Demand> {
        let cpu = to_units("CPU", cpus)?;
        let gpu = to_units("GPU", gpus)?;
        let infeasible = |name: &str, asked: f64, total: u32| {
            RustyRayError::Infeasible(format!(
                "{asked} {name} requested, the runtime has {}",
                f64::from(total) / UNIT
            ))
        };
        if cpu > self.cpu.total {
            return Err(infeasible("CPU", cpus, self.cpu.total));
        }
        if gpu > self.gpu.total {
            return Err(infeasible("GPU", gpus, self.gpu.total));
        }
        let mut demand = Demand {
            cpu,
            gpu,
            custom: Vec::new(),
        };
        for (name, amount) in custom {
            let name = name.as_ref();
            let units = to_units(name, *amount)?;
            if units == 0 {
                continue;
            }
            let pool = self.custom.get(name).ok_or_else(|| {
                RustyRayError::Infeasible(format!("resource {name:?} is not defined"))
            })?;
            if units > pool.total {
                return Err(infeasible(name, *amount, pool.total));
            }
            demand.custom.push((Arc::clone(&pool.semaphore), units));
        }
        Ok(demand)
    }

    /// Takes the resources now if they are free.
    pub(crate) fn try_acquire(&self, demand: &Demand) -> Option<Grant> {
        let cpu = if demand.cpu > 0 {
            Some(CpuPermit {
                permit: Arc::clone(&self.cpu.semaphore)
                    .try_acquire_many_owned(demand.cpu)
                    .ok()?,
            })
        } else {
            None
        };
        let mut rest = Vec::new();
        if demand.gpu > 0 {
            rest.push(
                Arc::clone(&self.gpu.semaphore)
                    .try_acquire_many_owned(demand.gpu)
                    .ok()?,
            );
        }
        for (semaphore, units) in &demand.custom {
            rest.push(Arc::clone(semaphore).try_acquire_many_owned(*units).ok()?);
        }
        Some(Grant { cpu, rest })
    }

    /// Waits for the resources; resources are taken in a fixed order (CPU, GPU, custom),
    /// so two waiters never hold each other's.
    pub(crate) async fn acquire(&self, demand: &Demand) -> Grant {
        if let Some(grant) = self.try_acquire(demand) {
            return grant;
        }
        let cpu = if demand.cpu > 0 {
            Arc::clone(&self.cpu.semaphore)
                .acquire_many_owned(demand.cpu)
                .await
                .ok()
                .map(|permit| CpuPermit { permit })
        } else {
            None
        };
        let mut rest = Vec::new();
        if demand.gpu > 0 {
            if let Ok(p) = Arc::clone(&self.gpu.semaphore)
                .acquire_many_owned(demand.gpu)
                .await
            {
                rest.push(p);
            }
        }
        for (semaphore, units) in &demand.custom {
            if let Ok(p) = Arc::clone(semaphore).acquire_many_owned(*units).await {
                rest.push(p);
            }
        }
        Grant { cpu, rest }
    }

    /// Free amount of a resource ("CPU", "GPU" or a custom name).
    pub(crate) fn available(&self, name: &str) -> Option<f64> {
        let pool = match name {
            "CPU" => &self.cpu,
            "GPU" => &self.gpu,
            other => self.custom.get(other)?,
        };
        Some(pool.semaphore.available_permits() as f64 / UNIT)
    }

    /// Total amount of a resource.
    pub(crate) fn total(&self, name: &str) -> Option<f64> {
        let pool = match name {
            "CPU" => &self.cpu,
            "GPU" => &self.gpu,
            other => self.custom.get(other)?,
        };
        Some(f64::from(pool.total) / UNIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demands_are_checked_against_totals() {
        let r = Resources::new(2.0, 0.0, &[("disk".to_owned(), 1.0)]).expect("resources");
        assert!(r.demand::<&str>(2.0, 0.0, &[]).is_ok());
        assert!(matches!(
            r.demand::<&str>(3.0, 0.0, &[]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            r.demand::<&str>(1.0, 1.0, &[]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            r.demand(1.0, 0.0, &[("tape".to_owned(), 1.0)]),
            Err(RustyRayError::Infeasible(_))
        ));
        assert!(matches!(
            r.demand::<&str>(-1.0, 0.0, &[]),
            Err(RustyRayError::InvalidArgument(_))
        ));
    }

    #[test]
    fn grants_hold_and_release_resources() {
        let r = Resources::new(1.5, 0.0, &[("disk".to_owned(), 1.0)]).expect("resources");
        let d = r
            .demand(1.0, 0.0, &[("disk".to_owned(), 0.5)])
            .expect("demand");
        let g = r.try_acquire(&d).expect("free");
        assert_eq!(r.available("CPU"), Some(0.5));
        assert_eq!(r.available("disk"), Some(0.5));
        assert!(r.try_acquire(&d).is_none());
        let loan = g.cpu.expect("cpu").lend();
        assert_eq!(r.available("CPU"), Some(1.5));
        let back = futures::executor::block_on(loan.repay());
        assert!(back.is_some());
        assert_eq!(r.available("CPU"), Some(0.5));
        drop(back);
        assert_eq!(r.available("CPU"), Some(1.5));
        assert_eq!(r.total("CPU"), Some(1.5));
        assert_eq!(r.total("nope"), None);
    }
}
