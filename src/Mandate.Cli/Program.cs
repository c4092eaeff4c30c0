// The `mandate` command. Subcommands are added per area (policy, serve, demo, audit).
return await Mandate.Cli.CliApp.RunAsync(args);
