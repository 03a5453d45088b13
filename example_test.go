package coprod_test

import (
	"errors"
	"fmt"

	"github.com/coprod/coprod"
)

func ExampleParseAmount() {
	fee, err := coprod.ParseAmount("1250.5", coprod.GBP)
	fmt.Println(fee, err)

	_, err = coprod.ParseAmount("1250.505", coprod.GBP)
	fmt.Println(errors.Is(err, coprod.ErrTooPrecise))

	_, err = coprod.ParseAmount("1e-10000000", coprod.GBP)
	fmt.Println(errors.Is(err, coprod.ErrExponentRange))
	// Output:
	// 1250.50 GBP <nil>
	// true
	// true
}

func ExampleAmount_Add() {
	grant := coprod.MustParseAmount("5000", coprod.GBP)
	topUp := coprod.MustParseAmount("250.25", coprod.GBP)
	total, _ := grant.Add(topUp)
	fmt.Println(total)

	_, err := grant.Add(coprod.MustParseAmount("60", coprod.Hours))
	fmt.Println(errors.Is(err, coprod.ErrUnitMismatch))
	// Output:
	// 5250.25 GBP
	// true
}
