namespace HoistDemo;

using System.Net;

/// <summary>The HTML page at /.</summary>
internal static class Page
{
    public static string Render(AppIdentity identity, long visits, string store)
    {
        static string E(string? value) => WebUtility.HtmlEncode(value ?? "-");

        return $"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>HoistDemo · release {E(identity.Release)}</title>
              <link rel="stylesheet" href="/static/site.css">
            </head>
            <body>
              <main>
                <h1>Hello from Hoist</h1>
                <dl>
                  <dt>Release</dt><dd id="release">{E(identity.Release)}</dd>
                  <dt>Revision</dt><dd id="revision">{E(identity.Revision)}</dd>
                  <dt>Worker</dt><dd id="worker">{E(identity.Worker)}</dd>
                  <dt>PID</dt><dd id="pid">{identity.Pid}</dd>
                  <dt>Visits</dt><dd id="visits">{visits}</dd>
                </dl>
                <p class="store">Visits are counted in {E(store)}.</p>
              </main>
            </body>
            </html>

            """;
    }
}
