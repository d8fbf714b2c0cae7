//! Compile-time registration: remote functions and actors are listed by name.

use rustyray::registry;

#[rustyray::remote(num_cpus = 0.5, max_retries = 7)]
pub async fn registered_fn(a: i32, label: String) -> String {
    format!("{label}{a}")
}

#[rustyray::remote]
pub fn registered_sync() {}

#[rustyray::actor(max_restarts = 1)]
#[derive(Default)]
pub struct RegisteredActor;

#[rustyray::actor_methods]
impl RegisteredActor {
    pub fn new() -> Self {
        RegisteredActor
    }

    pub async fn ping(&mut self, n: u8) -> u8 {
        n
    }

    pub fn peek(&self) {}
}

#[test]
fn remote_functions_are_listed() {
    let all = registry::remote_functions();
    let names: Vec<_> = all.iter().map(|f| f.name).collect();
    assert!(names.contains(&"registered_fn"), "{names:?}");
    assert!(names.contains(&"registered_sync"), "{names:?}");
    let f = registry::remote_function("registered_fn").expect("by name");
    assert!(f.is_async);
    assert_eq!(f.params, &["a", "label"]);
    assert_eq!(f.num_cpus, 0.5);
    assert_eq!(f.max_retries, 7);
    assert_eq!(f.module_path, module_path!());
    let qualified = format!("{}::registered_sync", module_path!());
    assert!(registry::remote_function(&qualified).is_some_and(|f| !f.is_async));
    assert!(registry::remote_function("missing").is_none());
    assert!(std::ptr::eq(f, &registered_fn::SPEC));
}

#[test]
fn actors_and_their_methods_are_listed() {
    let a = registry::actor("RegisteredActor").expect("by name");
    assert_eq!(a.spec.max_restarts, 1);
    let methods: Vec<_> = a
        .methods
        .iter()
        .map(|m| (m.name, m.is_async, m.mutable))
        .collect();
    assert_eq!(methods, vec![("peek", false, false), ("ping", true, true)]);
    assert_eq!(a.methods[1].params, &["n"]);
    assert!(registry::actor(&format!("{}::RegisteredActor", module_path!())).is_some());
    assert!(registry::actors()
        .iter()
        .any(|a| a.spec.name == "RegisteredActor"));
}
