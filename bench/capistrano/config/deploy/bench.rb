# Template: bench/deploy.sh replaces the @...@ placeholders.
server "127.0.0.1", port: @PORT@, user: "root", roles: %w[app web]

set :ssh_options, {
  keys: ["@KEY@"],
  keys_only: true,
  auth_methods: %w[publickey],
  verify_host_key: :always,
  user_known_hosts_file: "@KNOWN_HOSTS@",
  global_known_hosts_file: "/dev/null",
}
