//! deprecated rules.

pub mod legacy_master;
pub mod legacy_role_name;
pub mod old_schema;
pub mod schema_upgrade;
