// telltale: the command line. Exit codes: 0 fine, 1 a check failed, 2 usage or input error.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"

// A function-try-block: third-party libraries may throw (allocation, YAML); telltale reports
// that as an error instead of aborting.
int main(int argc, char** argv) try {
  CLI::App app{
      "telltale: ML observability. Serves the platform, checks data for drift and breakage, "
      "profiles it, and applies monitors as code."};
  app.set_version_flag("--version", std::string("telltale ") + TELLTALE_VERSION);
  app.require_subcommand(1);
  telltale::cli::CheckCommand check(app);
  telltale::cli::ProfileCommand profile(app);
  telltale::cli::ServeCommand serve(app, false);
  telltale::cli::ServeCommand demo(app, true);
  telltale::cli::ApplyCommand apply(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? telltale::cli::kExitOk : telltale::cli::kExitUsage;
  }
  if (app.got_subcommand(check.command())) return check.Run();
  if (app.got_subcommand(serve.command())) return serve.Run();
  if (app.got_subcommand(demo.command())) return demo.Run();
  if (app.got_subcommand(apply.command())) return apply.Run();
  return profile.Run();
} catch (const std::exception& error) {
  std::fprintf(stderr, "telltale: %s\n", error.what());
  return telltale::cli::kExitUsage;
}
