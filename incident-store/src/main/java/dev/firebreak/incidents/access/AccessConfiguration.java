package dev.firebreak.incidents.access;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	@Bean
	FilterRegistrationBean<AccessFilter> accessFilter(ApiProperties properties, JsonMapper json,
			MeterRegistry registry) {
		FilterRegistrationBean<AccessFilter> registration = new FilterRegistrationBean<>(
				new AccessFilter(properties.callers(), json, registry));
		registration.addUrlPatterns("/api/*");
		return registration;
	}

}
