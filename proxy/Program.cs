return await Gateway.Proxy.Cli.CommandLine.RunAsync(args);
