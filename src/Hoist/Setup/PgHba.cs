namespace Hoist.Setup;

using System.Text;
using Hoist.Config;

/// <summary>
/// The app's block in pg_hba.conf, put first (the first matching line decides): its two roles may log in to its
/// database with scram-sha-256 from the allowed addresses only; from anywhere else, and to any other database,
/// they are rejected.
/// </summary>
internal static class PgHba
{
    public static string Begin(string app) => $"# BEGIN hoist {app}";

    public static string End(string app) => $"# END hoist {app}";

    public static string Render(string app, DatabaseSetup db)
    {
        var text = new StringBuilder();
        text.Append($"{Begin(app)}: written by `hoist setup`; edit hoist.yml (setup.database), not these lines\n");
        foreach (var role in new[] { db.User, db.Owner })
        {
            foreach (var from in db.AllowFrom)
            {
                text.Append(Line("host", db.Name, role, from, "scram-sha-256"));
            }
        }

        foreach (var role in new[] { db.User, db.Owner })
        {
            text.Append(Line("local", "all", role, "", "reject"));
            text.Append(Line("host", "all", role, "0.0.0.0/0", "reject"));
            text.Append(Line("host", "all", role, "::/0", "reject"));
        }

        text.Append(End(app)).Append('\n');
        return text.ToString();
    }

    private static string Line(string type, string database, string role, string address, string method) =>
        $"{type,-7} {database,-15} {role,-23} {address,-18} {method}".TrimEnd() + "\n";
}
