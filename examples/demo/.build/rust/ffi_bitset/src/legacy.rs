// Hand-written additions to the bitset wrapper (not generated from bitset.wrapper_spec).

use crate::{with_bits, TABLE};

/// The Rust backend emits no handle free; this one is written by hand.
#[no_mangle]
pub extern "C" fn rt_bitset_bitvec_free(handle: i64) {
    let mut table = TABLE.lock().unwrap();
    if let Some(slot) = table.get_mut((handle as usize).wrapping_sub(1)) {
        *slot = None;
    }
}

#[no_mangle]
pub extern "C" fn rt_bitset_clear(handle: i64) {
    with_bits(handle, (), |bits| bits.iter_mut().for_each(|w| *w = 0))
}

#[no_mangle]
pub extern "C" fn rt_bitset_resize(handle: i64, size: i64) -> i64 {
    with_bits(handle, 0, |bits| {
        bits.resize(((size.max(0) as usize) + 63) / 64, 0);
        size
    })
}

/// Built by an old generator that prefixed `simple_` instead of `rt_`.
#[no_mangle]
pub extern "C" fn simple_bitset_flip(handle: i64, bit: i64) {
    with_bits(handle, (), |bits| {
        if let Some(word) = bits.get_mut(bit as usize / 64) {
            *word ^= 1 << (bit as usize % 64);
        }
    })
}

#[no_mangle]
pub extern "C" fn bitset_popcount(value: i64) -> i64 {
    value.count_ones() as i64
}
