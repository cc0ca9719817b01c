module chanlabtwins

go 1.19
