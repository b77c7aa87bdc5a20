//! Closed sets of names (modes, roles, statuses, grades) as enums with one spelling each: the
//! string that JSON, forms and database columns use. Each is parsed once at the edge.

/// A value outside a closed set of names, with the names it could have been.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not one of {expected}")]
pub struct UnknownName {
    pub value: String,
    pub expected: String,
}

/// Declares an enum of unit variants, each with its one spelling, and gives it `ALL`,
/// `as_str`, `parse`, `FromStr`, `TryFrom<String>` and `Display`.
macro_rules! keyword_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The one spelling of this value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value spelled `raw`, if any.
            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::keyword::UnknownName;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw).ok_or_else(|| $crate::keyword::UnknownName {
                    value: raw.to_owned(),
                    expected: Self::ALL
                        .iter()
                        .map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::keyword::UnknownName;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                raw.parse()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use keyword_enum;

#[cfg(test)]
mod tests {
    keyword_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Colour {
            Red = "red",
            DarkBlue = "dark-blue",
        }
    }

    #[test]
    fn every_value_round_trips_through_its_spelling() {
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>(), Ok(*c));
            assert_eq!(c.to_string(), c.as_str());
        }
    }

    #[test]
    fn an_unknown_spelling_names_the_choices() {
        let e = "green".parse::<Colour>().expect_err("not a colour");
        assert_eq!(e.to_string(), "`green` is not one of red, dark-blue");
        assert_eq!(Colour::try_from("Red".to_owned()).ok(), None);
    }
}
