namespace Hoist.Init;

/// <summary>
/// A Django project as startproject lays it out, cut to what serves two views: manage.py and the settings package
/// (named after the app), run by hoist serve as <c>module: APP.wsgi</c>. Its secret key and allowed hosts come from
/// the environment the config gives the workers (setup.secrets, serve.env).
/// </summary>
internal static class DjangoSkeleton
{
    /// <summary>The variables the settings read: what the config must give the workers.</summary>
    public const string SecretKey = "DJANGO_SECRET_KEY";
    public const string AllowedHosts = "DJANGO_ALLOWED_HOSTS";

    // A package named django would hide Django itself.
    public static string Package(string app) => app.Replace('-', '_') is var name && name == "django" ? "django_site" : name;

    public static IReadOnlyList<SkeletonFile> Files(string app)
    {
        var package = Package(app);
        return
        [
            new("manage.py", $$"""
                #!/usr/bin/env python3
                # {{app}}'s command-line utility, as django-admin startproject writes it.
                import os
                import sys


                def main():
                    os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{package}}.settings')
                    from django.core.management import execute_from_command_line
                    execute_from_command_line(sys.argv)


                if __name__ == '__main__':
                    main()

                """),
            new($"{package}/__init__.py", ""),
            new($"{package}/settings.py", $$"""
                # {{app}}'s settings, written by `hoist init`: the least a Django project needs to serve its views.
                import os

                # hoist setup generates the key once (setup.secrets) into shared/.env, which hoist serve's workers read.
                # Without it (a run on your machine) DEBUG is on and a fixed development key is used.
                SECRET_KEY = os.environ.get('{{SecretKey}}', '')
                DEBUG = SECRET_KEY == ''
                if DEBUG:
                    SECRET_KEY = 'development only, not secret'

                # Django answers 400 to any other Host header; the config sets these to nginx's server_name.
                ALLOWED_HOSTS = [h for h in os.environ.get('{{AllowedHosts}}', 'localhost,127.0.0.1').split(',') if h]

                ROOT_URLCONF = '{{package}}.urls'
                WSGI_APPLICATION = '{{package}}.wsgi.application'
                INSTALLED_APPS = []
                MIDDLEWARE = ['django.middleware.common.CommonMiddleware']
                DATABASES = {}
                USE_TZ = True

                """),
            new($"{package}/urls.py", $$"""
                from django.http import HttpResponse
                from django.urls import path


                def up(request):
                    # The health check: hoist serve sends a worker traffic only once this answers 200.
                    return HttpResponse('ok\n', content_type='text/plain')


                def index(request):
                    return HttpResponse('Hello from {{app}}\n', content_type='text/plain')


                urlpatterns = [
                    path('up', up),
                    path('', index),
                ]

                """),
            new($"{package}/wsgi.py", $$"""
                # The WSGI entry point hoist serve runs (module: {{package}}.wsgi).
                import os

                from django.core.wsgi import get_wsgi_application

                os.environ.setdefault('DJANGO_SETTINGS_MODULE', '{{package}}.settings')
                application = get_wsgi_application()

                """),
        ];
    }
}
