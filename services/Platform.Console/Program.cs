Platform.Console.ConsoleHost.Create(args).Run();
