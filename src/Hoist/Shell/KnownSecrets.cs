namespace Hoist.Shell;

/// <summary>Every secret value this run of hoist has learnt, so that nothing it prints shows one.</summary>
/// <remarks>
/// Process-wide on purpose: values arrive from many places (the config's secrets, the passwords setup makes, the
/// values a host's .env holds, read back during a deploy) and text to print comes from even more (host output, error
/// messages, exceptions nobody wrapped). With one registry that every <see cref="Secret"/> joins and every printer
/// asks, no path can forget a secret it never heard of. Values are matched as <see cref="SecretRedactor"/> matches
/// them (also escaped and percent-coded, and every URL's password).
/// </remarks>
internal static class KnownSecrets
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Values = new(StringComparer.Ordinal);
    private static SecretRedactor redactor = SecretRedactor.None;

    public static void Add(string value) => AddRange([value]);

    public static void AddRange(IEnumerable<string> values)
    {
        lock (Gate)
        {
            var added = false;
            foreach (var value in values.Where(v => v.Length > 0))
            {
                added |= Values.Add(value);
            }

            if (added)
            {
                Volatile.Write(ref redactor, SecretRedactor.For(Values.ToList()));
            }
        }
    }

    /// <summary>The text with every known secret, and every URL password, as [REDACTED].</summary>
    public static string Redact(string text) => Volatile.Read(ref redactor).Redact(text);
}
