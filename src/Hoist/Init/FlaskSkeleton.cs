namespace Hoist.Init;

/// <summary>A one-file Flask app: wsgi.py's <c>app</c>, as hoist serve's <c>wsgi_file</c> + <c>callable</c> run it.</summary>
internal static class FlaskSkeleton
{
    public static IReadOnlyList<SkeletonFile> Files(string app) =>
    [
        new("wsgi.py", $$"""
            # {{app}}: a small Flask app written by `hoist init`. hoist serve runs `app` (wsgi_file: wsgi.py).
            from flask import Flask

            app = Flask(__name__)


            @app.get("/up")
            def up():
                # The health check: hoist serve sends a worker traffic only once this answers 200.
                return "ok\n"


            @app.get("/")
            def index():
                return "Hello from {{app}}\n"


            if __name__ == "__main__":
                app.run(debug=True)

            """),
    ];
}
