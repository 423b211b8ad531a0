namespace HoistDemo;

using Npgsql;

/// <summary>
/// A DATABASE_URL (postgres://user:password@host:port/database?sslmode=require) turned into an
/// Npgsql connection string, and a form of it that is safe to print.
/// </summary>
internal sealed record DatabaseUrl(string ConnectionString, string Redacted)
{
    public override string ToString() => Redacted;

    /// <summary>Parses the URL; errors name the part at fault but never repeat the URL, which holds a password.</summary>
    public static DatabaseUrl Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? "" : url[..schemeEnd];
        if (scheme is not ("postgres" or "postgresql"))
        {
            throw Invalid("it must start with postgres:// or postgresql://");
        }

        // Split after the last '@', so that an unencoded '/', '?' or '@' in the password still parses.
        var rest = url[(schemeEnd + 3)..];
        var at = rest.LastIndexOf('@');
        var query = "";
        if (rest.IndexOf('?', at + 1) is var q and >= 0)
        {
            (rest, query) = (rest[..q], rest[(q + 1)..]);
        }

        var database = "";
        if (rest.IndexOf('/', at + 1) is var slash and >= 0)
        {
            (rest, database) = (rest[..slash], Uri.UnescapeDataString(rest[(slash + 1)..]));
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var user = "";
        var hasPassword = false;
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
                hasPassword = true;
            }
        }

        var (host, port) = SplitHostPort(rest);
        builder.Host = host.Length > 0 ? host : "localhost";
        builder.Port = port;
        if (user.Length > 0)
        {
            builder.Username = user;
        }

        if (database.Length > 0)
        {
            builder.Database = database;
        }

        ApplyQuery(builder, query);
        var shownUser = user.Length == 0 ? "" : hasPassword ? $"{user}:[REDACTED]@" : $"{user}@";
        var shownHost = builder.Host!.Contains(':', StringComparison.Ordinal) ? $"[{builder.Host}]" : builder.Host;
        return new DatabaseUrl(builder.ConnectionString, $"{scheme}://{shownUser}{shownHost}:{builder.Port}/{database}");
    }

    private static (string Host, int Port) SplitHostPort(string hostPort)
    {
        // [::1]:5432, host:5432, :5432 (no host: localhost, or ?host=), host, or nothing at all.
        var close = hostPort.StartsWith('[') ? hostPort.IndexOf(']') : -1;
        var colon = hostPort.IndexOf(':', close + 1);
        var host = Uri.UnescapeDataString(colon < 0 ? hostPort : hostPort[..colon]).Trim('[', ']');
        if (colon < 0)
        {
            return (host, NpgsqlConnection.DefaultPort);
        }

        var port = hostPort[(colon + 1)..];
        return int.TryParse(port, out var number) && number is >= 1 and <= 65535
            ? (host, number)
            : throw Invalid($"port '{port}' is not a number from 1 to 65535");
    }

    private static void ApplyQuery(NpgsqlConnectionStringBuilder builder, string query)
    {
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (name)
            {
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode
                        : throw Invalid($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full");
                    break;
                case "host":
                    builder.Host = value; // a unix socket folder, as libpq allows: postgres:///db?host=/var/run/postgresql
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    throw Invalid($"parameter '{name}' is not supported; use sslmode, host or application_name");
            }
        }
    }

    private static FormatException Invalid(string why) => new($"DATABASE_URL is not a PostgreSQL URL that HoistDemo understands: {why}");
}
