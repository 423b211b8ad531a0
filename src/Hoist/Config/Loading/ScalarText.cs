namespace Hoist.Config.Loading;

/// <summary>A scalar after <c>${...}</c> interpolation, with the text as written for error messages.</summary>
internal sealed record ScalarText(string Value, string Written, bool Sensitive)
{
    /// <summary>How an error quotes the value: as written, plus what it expanded to unless that is secret.</summary>
    public string Quoted => Written == Value || Sensitive ? $"'{Written}'" : $"'{Written}' (= '{Value}')";
}
