//! Unit tests of status unpacking.
