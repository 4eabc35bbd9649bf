module example.com/prodimage/server

go 1.23
