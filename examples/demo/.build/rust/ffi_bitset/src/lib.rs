// Auto-generated Rust-native FFI wrapper for bitset
//
// Handles are i64 ids into a table (0 = invalid handle).

use std::ffi::CString;
use std::os::raw::c_char;
use std::sync::Mutex;

mod legacy;

pub(crate) static TABLE: Mutex<Vec<Option<Vec<u64>>>> = Mutex::new(Vec::new());

pub(crate) fn with_bits<R>(handle: i64, default: R, f: impl FnOnce(&mut Vec<u64>) -> R) -> R {
    let mut table = TABLE.lock().unwrap();
    match table.get_mut((handle as usize).wrapping_sub(1)) {
        Some(Some(bits)) => f(bits),
        _ => default,
    }
}

#[no_mangle]
pub extern "C" fn rt_bitset_available() -> bool {
    true
}

#[no_mangle]
pub extern "C" fn rt_bitset_version() -> *mut c_char {
    CString::new("0.2.0").unwrap().into_raw()
}

#[no_mangle]
pub extern "C" fn rt_bitset_free_string(s: *mut c_char) {
    if !s.is_null() {
        unsafe { drop(CString::from_raw(s)) };
    }
}

#[no_mangle]
pub extern "C" fn rt_bitset_new(size: i64) -> i64 {
    let words = ((size.max(0) as usize) + 63) / 64;
    let mut table = TABLE.lock().unwrap();
    table.push(Some(vec![0; words]));
    table.len() as i64
}

#[no_mangle]
pub extern "C" fn rt_bitset_union_count(a: i64, b: i64) -> i64 {
    let table = TABLE.lock().unwrap();
    let get = |h: i64| table.get((h as usize).wrapping_sub(1)).and_then(|b| b.as_ref());
    match (get(a), get(b)) {
        (Some(x), Some(y)) => x.iter().zip(y).map(|(p, q)| (p | q).count_ones() as i64).sum(),
        _ => 0,
    }
}

#[no_mangle]
pub extern "C" fn rt_bitset_bitvec_set(handle: i64, bit: i64) {
    with_bits(handle, (), |bits| {
        if let Some(word) = bits.get_mut(bit as usize / 64) {
            *word |= 1 << (bit as usize % 64);
        }
    })
}

#[no_mangle]
pub extern "C" fn rt_bitset_bitvec_get(handle: i64, bit: i64) -> bool {
    with_bits(handle, false, |bits| {
        bits.get(bit as usize / 64).map_or(false, |w| w & (1 << (bit as usize % 64)) != 0)
    })
}

#[no_mangle]
pub extern "C" fn rt_bitset_bitvec_count(handle: i64) -> i64 {
    with_bits(handle, 0, |bits| bits.iter().map(|w| w.count_ones() as i64).sum())
}
