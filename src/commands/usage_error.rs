//! clap's parse errors on one line in the UI language. clap words its errors in English
//! only, so the kinds a user meets are said again from the error's context (the argument, the
//! value, the valid values, clap's suggestion); our own value checks carry both languages.

use clap::error::{ContextKind, Error, ErrorKind};

use crate::Lang;
use crate::error::Text;

/// The error without clap's usage block and tips, in `lang`, ending with where to look.
pub fn message(e: &Error, lang: Lang) -> String {
    let english = english(e);
    let text = match lang {
        Lang::En => format!("{english} (see --help)"),
        Lang::Ja => format!("{}(--help を参照)", japanese(e, &english)),
    };
    super::clean(&text)
}

/// clap's own message: the text up to the first blank line, lines joined.
fn english(e: &Error) -> String {
    let message = e.to_string();
    let head = message.split("\n\n").next().unwrap_or(&message);
    let joined = head
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    joined
        .strip_prefix("error: ")
        .unwrap_or(&joined)
        .to_string()
}

fn japanese(e: &Error, english: &str) -> String {
    let ctx = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let (arg, value) = (ctx(ContextKind::InvalidArg), ctx(ContextKind::InvalidValue));
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .map(ctx)
    .find(|s| !s.is_empty())
    .map(|s| format!("。もしかして {s}"))
    .unwrap_or_default();
    match e.kind() {
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue);
            if value.is_empty() {
                format!("{arg} に値を付けてください")
            } else if valid.is_empty() {
                format!("{arg} の値 '{value}' は使えません{suggested}")
            } else {
                format!("{arg} の値 '{value}' は使えません(使える値: {valid}){suggested}")
            }
        }
        ErrorKind::ValueValidation => {
            // Our value parsers return a `Text`; a parser of clap's own gives English.
            let why = std::error::Error::source(e)
                .and_then(|s| s.downcast_ref::<Text>())
                .map_or_else(|| english.to_string(), |t| t.ja.clone());
            format!("{arg} の値 '{value}' は使えません: {why}")
        }
        ErrorKind::UnknownArgument => format!("知らないオプション '{arg}' です{suggested}"),
        ErrorKind::InvalidSubcommand => {
            format!(
                "知らないコマンド '{}' です{suggested}",
                ctx(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::NoEquals => format!("{arg} の値は = で付けてください"),
        ErrorKind::TooManyValues => format!("{arg} の値 '{value}' が多すぎます"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} の値の数が合いません")
        }
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg);
            if prior.is_empty() {
                format!("{arg} は一緒には使えないオプションと指定されています")
            } else {
                format!("{arg} は {prior} と一緒には使えません")
            }
        }
        ErrorKind::MissingRequiredArgument => format!("必須の引数がありません: {arg}"),
        ErrorKind::MissingSubcommand => "コマンドを指定してください".to_string(),
        _ => format!("引数を読めません({english})"),
    }
}
