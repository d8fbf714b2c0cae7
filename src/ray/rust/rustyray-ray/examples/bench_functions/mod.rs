//! What `cluster_bench` runs in Ray's workers: the same trivial function and counter actor
//! as the C++ and Python sides of tools/rustyray-cluster-bench, so that only the API differs.

pub fn noop() -> i32 {
    0
}

#[derive(Default)]
pub struct BenchCounter {
    count: i64,
}

impl BenchCounter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, amount: i64) -> i64 {
        self.count += amount;
        self.count
    }
}

rustyray_ray::cluster_function!(noop);
rustyray_ray::cluster_actor!(BenchCounter {
    new: BenchCounter::new,
    fn add,
});
