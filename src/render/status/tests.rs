//! Status lists of small hand-made CIBs.
