package dev.firebreak.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/** A running PostgreSQL a test can reach: the embedded server, or a container. */
public interface PostgresFixture {

	String jdbcUrl(String database);

	String username();

	String password();

	/** A database that always exists, to create others from. */
	String adminDatabase();

	default DataSource dataSource(String database) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(jdbcUrl(database));
		dataSource.setUser(username());
		dataSource.setPassword(password());
		return dataSource;
	}

	/**
	 * Creates an empty database with a unique name starting with the prefix and returns
	 * its name, so that test classes sharing one server never see each other's tables.
	 */
	default String createDatabase(String prefix) {
		String name = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
				+ UUID.randomUUID().toString().substring(0, 8);
		try (Connection connection = dataSource(adminDatabase()).getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
			return name;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create database " + name, ex);
		}
	}

}
