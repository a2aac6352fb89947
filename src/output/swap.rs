//! Putting a finished tree in place of the output in one step. On Linux
//! the staged folder and the live one trade places with
//! `renameat2(RENAME_EXCHANGE)`: at every instant the output path names
//! either the complete old tree or the complete new one, and a reader (a
//! web server, or a build killed at that very moment) never finds it
//! missing. Where the exchange is not available (another OS, or a file
//! system that does not support it, such as some network mounts) the swap
//! falls back to two renames, old out of the way and new in, which leaves
//! a window of microseconds in which the path does not exist; a build
//! killed inside that window leaves the old tree beside the output under
//! `.healthpress-old-<name>-<pid>`, and the next build puts it back
//! (`leftovers.rs`) before doing anything else.

use std::fs;
use std::io;
use std::path::Path;

/// How a swap went: whether the tree that was the output now sits at the
/// staging path (exchange) or at `old` (fallback), or there was none.
#[derive(Debug, PartialEq, Eq)]
pub enum Swapped {
    /// There was no previous output; the staged tree was renamed in.
    Fresh,
    /// The previous output is now at the staging path.
    Exchanged,
    /// The previous output was moved to the given path first (fallback).
    MovedAside,
}

/// Puts the tree at `staged` in place of `target`. `aside` is where the
/// fallback moves the previous output to (it must not exist).
pub fn swap_in(staged: &Path, target: &Path, aside: &Path, name: &str) -> io::Result<Swapped> {
    if fs::symlink_metadata(target).is_err() {
        fs::rename(staged, target)?;
        return Ok(Swapped::Fresh);
    }
    if exchange_allowed() {
        match exchange(staged, target) {
            Ok(()) => return Ok(Swapped::Exchanged),
            Err(e) if exchange_unsupported(&e) => {}
            Err(e) => return Err(e),
        }
    }
    fs::rename(target, aside)?;
    super::base::kill_point(&format!("between-renames:{name}"));
    if let Err(e) = fs::rename(staged, target) {
        // Put the previous output back so a failed swap changes nothing.
        let _ = fs::rename(aside, target);
        return Err(e);
    }
    Ok(Swapped::MovedAside)
}

/// Tests force the fallback with `HEALTHPRESS_TEST_NO_EXCHANGE=1` (debug
/// builds only), to check that the next build repairs its window.
fn exchange_allowed() -> bool {
    !(cfg!(debug_assertions) && std::env::var_os("HEALTHPRESS_TEST_NO_EXCHANGE").is_some())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    /// From linux/fs.h; the `libc` crate does not export it for every libc.
    const RENAME_EXCHANGE: libc::c_uint = 1 << 1;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains NUL"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both pointers are valid NUL-terminated strings that outlive
    // the call; the raw syscall is used because glibc gained a wrapper
    // only in 2.28 and musl later.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Errors that mean "this kernel or file system cannot exchange", as
/// opposed to a real problem with the folders.
fn exchange_unsupported(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::Unsupported {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        matches!(
            e.raw_os_error(),
            Some(libc::ENOSYS) | Some(libc::EINVAL) | Some(libc::EOPNOTSUPP)
        )
    }
    #[cfg(not(target_os = "linux"))]
    false
}
