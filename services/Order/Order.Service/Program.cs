Order.Service.OrderService.Create(args).Run();
