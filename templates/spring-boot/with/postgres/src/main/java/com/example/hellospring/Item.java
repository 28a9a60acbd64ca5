package com.example.hellospring;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A row of the items table (see schema.sql); Spring Data JDBC sets the id the database generates. */
@Table("items")
public record Item(@Id Long id, String name) {

    public Item withId(Long id) {
        return new Item(id, name);
    }
}
