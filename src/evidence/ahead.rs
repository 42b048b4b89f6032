//! [`read`] on a second thread: the file is split and parsed (and its records hashed) while
//! the caller's thread does its work (SQL) on the records already read.
//!
//! The reading thread sends the items in chunks over a bounded channel, so at most a few
//! chunks wait in memory. The caller sees exactly what [`read`] would show it, in file order:
//! the same items, then the same bad records and error. When the caller's `visit` fails, the
//! channel is dropped, the reading thread stops at its next chunk, and the caller's error is
//! returned.
use std::cell::Cell;
use std::path::Path;
use std::sync::mpsc;

use super::{read, Bad, Context, Format, Item};
use crate::error::{Error, Result};

/// Items per chunk.
const CHUNK: usize = 1024;
/// Chunks in flight.
const IN_FLIGHT: usize = 4;

/// Some items and how many bytes of the file had been read after the last of them.
struct Chunk {
    items: Vec<Item>,
    bytes: u64,
}

/// [`read`], with the reading done on a second thread (see the module doc). `bytes` is
/// updated as the chunks arrive.
pub fn read_ahead(
    path: &Path,
    format: Format,
    ctx: &Context,
    max_bad: usize,
    bytes: &Cell<u64>,
    mut visit: impl FnMut(Item) -> Result<()>,
) -> Result<(Vec<Bad>, u64)> {
    let ctx = *ctx;
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Chunk>(IN_FLIGHT);
        let reader = scope.spawn(move || {
            let read_bytes = Cell::new(0u64);
            let mut items = Vec::with_capacity(CHUNK);
            let result = read(path, format, &ctx, max_bad, &read_bytes, |item| {
                items.push(item);
                if items.len() == CHUNK {
                    let full = std::mem::replace(&mut items, Vec::with_capacity(CHUNK));
                    // The caller stopped: its error is the one reported.
                    sender
                        .send(Chunk {
                            items: full,
                            bytes: read_bytes.get(),
                        })
                        .map_err(|_| Error::Refused("stopped".into()))?;
                }
                Ok(())
            });
            if !items.is_empty() {
                let _ = sender.send(Chunk {
                    items,
                    bytes: read_bytes.get(),
                });
            }
            (result, read_bytes.get())
        });
        bytes.set(0);
        let mut failed = None;
        for chunk in &receiver {
            for item in chunk.items {
                if let Err(e) = visit(item) {
                    failed = Some(e);
                    break;
                }
            }
            if failed.is_some() {
                break;
            }
            bytes.set(chunk.bytes);
        }
        drop(receiver);
        let (result, read_bytes) = match reader.join() {
            Ok(done) => done,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        if let Some(e) = failed {
            return Err(e);
        }
        bytes.set(read_bytes);
        result
    })
}
