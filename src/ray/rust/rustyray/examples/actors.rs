//! Actors as Ray users know them: a named actor shared between tasks, calls in order,
//! a failing call that leaves the actor alive, and `kill`.

use std::collections::HashMap;

#[rustyray::actor]
#[derive(Default)]
pub struct WordCounter {
    counts: HashMap<String, usize>,
}

#[rustyray::actor_methods]
impl WordCounter {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add_line(&mut self, line: String) -> usize {
        for word in line.split_whitespace() {
            *self.counts.entry(word.to_lowercase()).or_default() += 1;
        }
        self.counts.len()
    }

    pub fn count(&self, word: String) -> Result<usize, String> {
        self.counts
            .get(&word)
            .copied()
            .ok_or_else(|| format!("{word:?} was never seen"))
    }
}

/// A task that finds the actor by name and feeds it a line.
#[rustyray::remote]
async fn feed(line: String) -> rustyray::Result<usize> {
    let counter = rustyray::get_actor::<WordCounterHandle>("words")?;
    counter.add_line(line).await?.get().await
}

#[rustyray::main(num_cpus = 4)]
async fn main() -> rustyray::Result<()> {
    let counter = WordCounter::options().name("words").remote().await?;
    let lines = ["the quick brown fox", "jumps over the lazy dog", "The end"];
    let fed = lines
        .iter()
        .map(|l| feed::remote(l.to_string()).into_result())
        .collect::<rustyray::Result<Vec<_>>>()?;
    for r in &fed {
        r.get().await?;
    }
    let the = counter.count("the".to_owned()).await?.get().await?;
    assert_eq!(the, 3);
    let missing = counter.count("cat".to_owned()).await?.get().await;
    println!(
        "'the' appears {the} times; looking up 'cat' fails: {}",
        missing.is_err()
    );
    assert!(missing.is_err(), "the call failed, the actor lives on");
    assert_eq!(counter.count("fox".to_owned()).await?.get().await?, 1);

    counter.kill()?;
    let after = counter.count("fox".to_owned()).await?.get().await;
    assert!(matches!(
        after,
        Err(rustyray::RustyRayError::ActorDied { .. })
    ));
    assert!(rustyray::get_actor::<WordCounterHandle>("words").is_err());
    Ok(())
}

#[cfg(test)]
#[test]
fn example_runs() {
    main().expect("the actors example");
}
