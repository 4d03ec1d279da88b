using Gateway.Operator;

return await OperatorCommandLine.RunAsync(args);
