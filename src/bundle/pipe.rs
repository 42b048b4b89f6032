//! A writer that hands its bytes to a thread of its own, which writes them on: the export
//! encrypts, hashes and writes the bundle on that thread while the members file is read,
//! checked and formatted on the caller's (they were about half of the work each).
//!
//! Bytes travel in chunks of [`CHUNK`]; at most [`DEPTH`] chunks are in flight, so memory
//! stays bounded (and the buffers are reused). An error of the inner writer surfaces at the
//! next write or at [`Pipe::finish`].
use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

/// Bytes per chunk handed over.
const CHUNK: usize = 1 << 20;
/// Chunks queued for the writer thread at most.
const DEPTH: usize = 4;

/// The caller's end.
pub(crate) struct Pipe<W: Write + Send + 'static> {
    buf: Vec<u8>,
    to: Option<SyncSender<Vec<u8>>>,
    spare: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> Pipe<W> {
    /// Starts the thread that writes into `inner`.
    pub(crate) fn new(mut inner: W) -> io::Result<Pipe<W>> {
        let (to, from) = mpsc::sync_channel::<Vec<u8>>(DEPTH);
        let (give_back, spare) = mpsc::sync_channel::<Vec<u8>>(DEPTH + 1);
        let thread = std::thread::Builder::new()
            .name("bundle-writer".to_string())
            .spawn(move || {
                for mut chunk in from {
                    inner.write_all(&chunk)?;
                    chunk.clear();
                    // The caller may be gone or have enough buffers: then this one is freed.
                    let _ = give_back.try_send(chunk);
                }
                // Not flushed: flushing age's armour mid-stream would end a base64 line early;
                // the caller finishes the inner writer.
                Ok(inner)
            })?;
        Ok(Pipe {
            buf: Vec::with_capacity(CHUNK),
            to: Some(to),
            spare,
            thread: Some(thread),
        })
    }

    /// Hands the buffered bytes over.
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let chunk = std::mem::replace(&mut self.buf, next);
        let sent = match &self.to {
            Some(to) => to.send(chunk).is_ok(),
            None => false,
        };
        if sent {
            return Ok(());
        }
        // The thread stopped: its error says why.
        self.to = None;
        match self.join() {
            Err(e) => Err(e),
            Ok(_) => Err(io::Error::other("the bundle writer stopped early")),
        }
    }

    fn join(&mut self) -> io::Result<W> {
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the bundle writer thread panicked"))),
            None => Err(io::Error::other("the bundle writer already stopped")),
        }
    }

    /// Writes what is left, waits for the thread and returns the inner writer (not flushed).
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.send()?;
        self.to = None;
        self.join()
    }
}

impl<W: Write + Send + 'static> Write for Pipe<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.buf.len();
        let n = data.len().min(room);
        self.buf.extend_from_slice(&data[..n]);
        if self.buf.len() == CHUNK {
            self.send()?;
        }
        Ok(n)
    }

    /// Hands the buffered bytes over (the inner writer is never flushed here).
    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_arrive_in_order_and_whole() {
        let data: Vec<u8> = (0..3 * CHUNK + 12345).map(|i| (i % 251) as u8).collect();
        let mut pipe = Pipe::new(Vec::new()).unwrap();
        for piece in data.chunks(7919) {
            pipe.write_all(piece).unwrap();
        }
        assert_eq!(pipe.finish().unwrap(), data);
    }

    /// Fails after `left` bytes.
    struct Failing {
        left: usize,
    }

    impl Write for Failing {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("disk full"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn an_inner_error_reaches_the_caller() {
        let mut pipe = Pipe::new(Failing { left: 10 }).unwrap();
        let chunk = vec![0u8; CHUNK];
        let mut failed = None;
        for _ in 0..DEPTH + 3 {
            if let Err(e) = pipe.write_all(&chunk) {
                failed = Some(e);
                break;
            }
        }
        let e = match failed {
            Some(e) => e,
            None => pipe.finish().err().expect("the write error"),
        };
        assert_eq!(e.to_string(), "disk full");
    }
}
