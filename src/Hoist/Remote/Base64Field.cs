namespace Hoist.Remote;

/// <summary>Decodes a base64 field without throwing on bad input.</summary>
internal static class Base64Field
{
    public static byte[]? TryDecode(string base64)
    {
        // Decoded data is never longer than its base64 text.
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : null;
    }
}
