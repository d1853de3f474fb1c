//! Resource roles, accepting both the current names (Promoted/Unpromoted)
//! and the pre-2.1 names (Master/Slave).

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Unknown,
    Stopped,
    Started,
    Unpromoted,
    Promoted,
}

impl Role {
    /// Parse a role name. Returns the role and whether a legacy name was used.
    pub fn parse(text: &str) -> Option<(Role, bool)> {
        Some(match text {
            "Stopped" => (Role::Stopped, false),
            "Started" => (Role::Started, false),
            "Unpromoted" => (Role::Unpromoted, false),
            "Promoted" => (Role::Promoted, false),
            "Slave" => (Role::Unpromoted, true),
            "Master" => (Role::Promoted, true),
            "Unknown" => (Role::Unknown, false),
            _ => return None,
        })
    }

    /// Pacemaker's `text2role`: case-insensitive, legacy names accepted,
    /// anything else unknown.
    pub fn from_text(text: &str) -> Role {
        match text.to_ascii_lowercase().as_str() {
            "stopped" => Role::Stopped,
            "started" => Role::Started,
            "unpromoted" | "slave" => Role::Unpromoted,
            "promoted" | "master" => Role::Promoted,
            _ => Role::Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Unknown => "Unknown",
            Role::Stopped => "Stopped",
            Role::Started => "Started",
            Role::Unpromoted => "Unpromoted",
            Role::Promoted => "Promoted",
        }
    }

    /// The pre-2.1 name where one existed, as older tools print it.
    pub fn legacy_name(self) -> &'static str {
        match self {
            Role::Unpromoted => "Slave",
            Role::Promoted => "Master",
            other => other.name(),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
