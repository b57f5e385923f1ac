//! What a member typed, made fit for a public page.

/// Discord mentions (`<@123>`, `<@!123>`, `<@&123>`, `<#123>`) name members,
/// roles and channels by id: on a public page they become a bare `@` or `#`.
pub fn hide_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (sigil, after) =
            if let Some(after) = tail.strip_prefix("<@&").or_else(|| tail.strip_prefix("<@!")) {
                ("@", after)
            } else if let Some(after) = tail.strip_prefix("<@") {
                ("@", after)
            } else if let Some(after) = tail.strip_prefix("<#") {
                ("#", after)
            } else {
                ("", "")
            };
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if !sigil.is_empty() && digits > 0 && after[digits..].starts_with('>') {
            out.push_str(sigil);
            rest = &after[digits + 1..];
        } else {
            out.push('<');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::hide_mentions;

    #[test]
    fn mentions_lose_their_ids() {
        assert_eq!(
            hide_mentions("Avec <@123> et <@!45>, pour <@&9>, dans <#77>. a<b <@x> <@12"),
            "Avec @ et @, pour @, dans #. a<b <@x> <@12"
        );
    }
}
