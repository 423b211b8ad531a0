# Template: bench/deploy.sh replaces the @...@ placeholders with absolute paths.
set :application, "bench"
set :repo_url, "@REPO@"
set :branch, "main"
set :deploy_to, "@WORK@/cap-target"
set :keep_releases, 5
append :linked_dirs, "media"
append :linked_files, ".env"
# Capistrano uploads its git-ssh wrapper here; keep it inside the work dir.
set :tmp_dir, "@WORK@/cap-tmp"
# Output format and log level stay at Capistrano's defaults (airbrussh, :debug).
